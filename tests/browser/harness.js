/*
 * harness.js - what the browser tests share: their exit statuses, the
 * Chromium flags (headless, fresh, every network-facing feature off: the
 * machines the tests run on have no internet access), starting Chromium
 * through playwright-core, and TAP-like reporting ("ok - NAME: CHECK").
 */
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");

const SKIP = 77;
const USAGE = 64;

const CHROMIUM_ARGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
];

/* Checks reported as "ok - NAME: CHECK" / "not ok - NAME: CHECK". */
function reporter(name) {
	const r = { checks: 0, failures: 0 };

	r.skip = (reason) => {
		console.log("skip - " + name + ": " + reason);
		process.exit(SKIP);
	};
	r.ok = (check) => {
		r.checks++;
		console.log("ok - " + name + ": " + check);
	};
	r.notOk = (check, why) => {
		r.checks++;
		r.failures++;
		console.log("not ok - " + name + ": " + check);
		for (const line of String(why).split("\n"))
			console.log("#   " + line);
	};
	/* Run one check; it passes unless it throws. Returns whether it passed. */
	r.check = async (check, fn) => {
		try {
			await fn();
			r.ok(check);
			return true;
		} catch (e) {
			r.notOk(check, e && e.message ? e.message : e);
			return false;
		}
	};
	r.assert = (cond, msg) => {
		if (!cond)
			throw new Error(msg);
	};
	/* The summary line; the exit status. */
	r.finish = () => {
		console.log("# " + r.checks + " checks, " + r.failures + " failed");
		return r.failures ? 1 : 0;
	};
	/* main() run to its exit status, a throw reported as a failed run. */
	r.main = (main) => main().then((code) => process.exit(code), (e) => {
		console.log("not ok - " + name + ": run");
		console.log("#   " + (e && e.stack ? e.stack : e));
		process.exit(1);
	});
	return r;
}

/* playwright-core's chromium and the browser's path, or skip (r.skip). */
function findChromium(r) {
	let chromium;
	try {
		({ chromium } = require("playwright-core"));
	} catch (e) {
		r.skip("playwright-core is not installed (run 'npm ci' in tests/browser)");
	}
	const exe = process.env.CHROMIUM || "/usr/bin/chromium";
	if (!fs.existsSync(exe))
		r.skip("no Chromium at '" + exe + "' (apt-get install chromium)");
	return { chromium, exe };
}

/*
 * Run fn(context, tmpdir) with a fresh Chromium (its profile in a temporary
 * directory, removed after) of the given viewport; failures are reported
 * through r. setup(tmpdir), when given, runs before the browser starts and
 * returns the viewport.
 */
async function withChromium(r, prefix, viewport, fn) {
	const { chromium, exe } = findChromium(r);
	const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	let context = null;
	try {
		const vp = typeof viewport === "function" ? viewport(tmpdir) : viewport;
		try {
			/* A persistent context is the way to pass a fresh --user-data-dir. */
			context = await chromium.launchPersistentContext(path.join(tmpdir, "profile"), {
				executablePath: exe,
				headless: true,
				args: CHROMIUM_ARGS,
				viewport: vp,
				timeout: 60000,
			});
		} catch (e) {
			r.notOk("launch chromium", "cannot start '" + exe + "': " + e.message);
			return;
		}
		await fn(context, tmpdir);
	} catch (e) {
		r.notOk("run", e && e.stack ? e.stack : e);
	} finally {
		if (context)
			await context.close().catch(() => {});
		fs.rmSync(tmpdir, { recursive: true, force: true });
	}
}

module.exports = { SKIP, USAGE, CHROMIUM_ARGS, reporter, findChromium, withChromium };
