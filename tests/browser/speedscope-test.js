#!/usr/bin/env node
/*
 * speedscope-test.js - open a speedscope JSON file (flamegraph's speedscope
 * output) in the speedscope app itself, in a real browser (Debian's
 * Chromium, headless, through playwright-core), and check what the app
 * shows of it: the thread list, the order of frames in Time Order, the
 * Sandwich table.
 *
 * usage: node speedscope-test.js FILE.json [options]
 *
 *   --profile NAME     the thread list (the profile selector) must list
 *                      NAME, e.g. "fixture (1234)"; repeat for more
 *   --thread NAME      the profile --order looks at (default: the one shown
 *                      first)
 *   --order FUNCTION   in Time Order, the outermost frames named by the
 *                      --order functions must read, left to right, exactly
 *                      these (consecutive repeats merged): give one per
 *                      phase, in order: --order A --order B --order A
 *   --hot FUNCTION     the Sandwich view must list FUNCTION
 *   --screenshot PNG   save a screenshot of Time Order (after --order)
 *
 * Every run also checks that the app imports the file without an error,
 * that it shows the document's name as its title, and that the thread
 * list holds exactly the file's profiles.
 *
 * The app is the npm package speedscope (tests/browser/package.json), its
 * dist/release directory served with the file on a local HTTP server
 * (127.0.0.1, a free port) and opened at index.html#profileURL=..., the
 * way speedscope loads a profile from a URL.
 *
 * How it reads a canvas: speedscope draws flame charts with WebGL, but its
 * hover tooltip is DOM (the frame's weight in a <span>, then its name), and
 * it hit-tests in JavaScript. The test sends mousemove events to the chart
 * canvas at a grid of points (columns across the time axis, rows of
 * speedscope's fixed 20 px frame height, the first found by probing) and
 * reads the tooltip after each; one point is then checked again with a
 * real mouse move. The thread list and the Sandwich table are DOM tables
 * (rows with title attributes; the symbol name in the last cell).
 *
 * Environment: CHROMIUM (default /usr/bin/chromium).
 *
 * Prints "ok - speedscope: CHECK" or "not ok - speedscope: CHECK" per
 * check. Exit status: 0 all passed, 1 a check failed or the browser would
 * not start, 77 skipped (no Chromium, or playwright-core or speedscope not
 * installed: run "npm ci" in tests/browser), 64 usage.
 *
 * The browser runs with a fresh profile and every network-facing feature
 * off: the machines this runs on have no internet access.
 */
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");

const H = require("./harness");
const { USAGE } = H;
const R = H.reporter("speedscope");
const { ok, notOk, check, assert } = R;
const skip = R.skip;

/* Time allowed for one wait (the import, a view to show), in ms. */
const WAIT_MS = 20000;

/* Tall enough for the stacks of a Rust program's main thread. */
const VIEWPORT = { width: 1200, height: 1000 };

/* Points across the time axis the Time Order check reads. */
const COLUMNS = 200;

function usage(msg) {
	if (msg)
		console.error("speedscope-test: " + msg);
	console.error("usage: node speedscope-test.js FILE.json [--profile NAME]... " +
		"[--thread NAME] [--order FUNCTION]... [--hot FUNCTION] [--screenshot PNG]");
	process.exit(USAGE);
}

function parseArgs(argv) {
	const opts = { file: null, profiles: [], thread: null, order: [], hot: null,
		screenshot: null };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => {
			if (i + 1 >= argv.length)
				usage("option '" + a + "' needs a value");
			return argv[++i];
		};
		if (a === "--profile")
			opts.profiles.push(value());
		else if (a === "--thread")
			opts.thread = value();
		else if (a === "--order")
			opts.order.push(value());
		else if (a === "--hot")
			opts.hot = value();
		else if (a === "--screenshot")
			opts.screenshot = value();
		else if (a === "-h" || a === "--help")
			usage();
		else if (a.startsWith("-"))
			usage("unknown option '" + a + "'");
		else if (opts.file === null)
			opts.file = a;
		else
			usage("only one file, please");
	}
	if (opts.file === null)
		usage("no speedscope file given");
	if (opts.order.length === 1)
		usage("--order needs at least two frames to order");
	return opts;
}

const q = (s) => "'" + s + "'";

/* ------------------------------------------------------------------------- */
/* The server                                                                 */

const TYPES = {
	".html": "text/html; charset=utf-8",
	".js": "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".json": "application/json",
	".png": "image/png",
	".ico": "image/x-icon",
	".woff2": "font/woff2",
	".wasm": "application/wasm",
	".txt": "text/plain; charset=utf-8",
};

/*
 * Serve the app's files from dist, and the profile at /profiles/BASENAME;
 * resolves to the listening server.
 */
function serve(dist, profile) {
	const profilePath = "/profiles/" + encodeURIComponent(path.basename(profile));
	const server = http.createServer((req, res) => {
		let file = null;
		let pathname = "";
		try {
			pathname = new URL(req.url, "http://127.0.0.1").pathname;
		} catch (e) {
			pathname = "";
		}
		if (pathname === profilePath) {
			file = profile;
		} else if (pathname) {
			const rel = decodeURIComponent(pathname === "/" ? "/index.html" : pathname);
			const full = path.resolve(dist, "." + rel);
			if (full.startsWith(dist + path.sep))
				file = full;
		}
		if (!file || req.method !== "GET") {
			res.writeHead(404);
			res.end();
			return;
		}
		fs.readFile(file, (err, data) => {
			if (err) {
				res.writeHead(404);
				res.end();
				return;
			}
			res.writeHead(200, {
				"Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
				"Cache-Control": "no-store",
			});
			res.end(data);
		});
	});
	return new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			server.profileUrl = profilePath;
			resolve(server);
		});
	});
}

/* ------------------------------------------------------------------------- */
/* Reading the app                                                            */

/*
 * The profile selector: the names it lists (the rows of the table beside
 * its "Filter..." box), and the current profile's title element; with one
 * profile there is no selector and the toolbar shows its name as text.
 */
function readProfileList(page) {
	return page.evaluate(() => {
		const filter = document.querySelector('input[placeholder="Filter..."]');
		let node = filter;
		while (node && !node.querySelector("table"))
			node = node.parentElement;
		const rows = node ? Array.from(node.querySelectorAll("tr[title]")) : [];
		/* the title: "NAME (i/N)", the counter in a span of its own */
		const counter = Array.from(document.querySelectorAll("span"))
			.find((s) => /^\(\d+\/\d+\)$/.test(s.textContent.trim()) &&
				s.parentElement && s.parentElement.localName === "span");
		return {
			selector: !!filter,
			names: rows.map((r) => r.getAttribute("title")),
			title: counter ? counter.parentElement.firstChild.textContent.trim() : null,
			counter: counter ? counter.textContent.trim() : null,
		};
	});
}

/* Does the page show a text node that is exactly s (trimmed)? */
function showsText(page, s) {
	return page.evaluate((want) => {
		const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let n = walk.nextNode(); n; n = walk.nextNode())
			if (n.textContent.trim() === want)
				return true;
		return false;
	}, s);
}

/* The centre of the element the page function finds, or null. */
async function centerOf(page, fn, arg) {
	return page.evaluate(({ src, arg }) => {
		const el = new Function("arg", src)(arg);
		if (!el)
			return null;
		el.scrollIntoView({ block: "nearest" });
		const b = el.getBoundingClientRect();
		return b.width && b.height ? { x: b.x + b.width / 2, y: b.y + b.height / 2 } : null;
	}, { src: fn, arg });
}

/* A toolbar tab ("Time Order", "Sandwich"): the smallest element with that text. */
const TAB_FN = `
	const els = Array.from(document.querySelectorAll("div"))
		.filter((d) => d.textContent.trim().endsWith(arg) && d.textContent.length < 40);
	return els.find((d) => !els.some((e) => e !== d && d.contains(e))) || null;
`;

async function clickTab(page, name) {
	const c = await centerOf(page, TAB_FN, name);
	assert(c, "no " + q(name) + " tab in the toolbar");
	await page.mouse.click(c.x, c.y);
}

/* Make thread the profile shown, through the profile selector. */
async function selectProfile(page, thread) {
	let list = await readProfileList(page);
	if (!list.selector) {
		assert(await showsText(page, thread), "the only profile is not " + q(thread));
		return;
	}
	if (list.title === thread)
		return;
	const title = await centerOf(page, `
		const c = Array.from(document.querySelectorAll("span"))
			.find((s) => /^\\(\\d+\\/\\d+\\)$/.test(s.textContent.trim()));
		return c ? c.parentElement : null;
	`, null);
	assert(title, "no profile selector title to click");
	await page.mouse.click(title.x, title.y);
	const row = await centerOf(page, `
		return Array.from(document.querySelectorAll("tr[title]"))
			.find((r) => r.getAttribute("title") === arg) || null;
	`, thread);
	assert(row, "the profile selector has no row " + q(thread));
	await page.mouse.click(row.x, row.y);
	for (let waited = 0; waited < WAIT_MS; waited += 100) {
		list = await readProfileList(page);
		if (list.title === thread)
			return;
		await page.waitForTimeout(100);
	}
	throw new Error("selecting " + q(thread) + " left " + q(list.title) + " shown");
}

/*
 * In the page: the flame chart canvas (the tallest one below the toolbar;
 * the other is the minimap, and a full-window one is the WebGL backdrop),
 * and a probe that sends it a mousemove and reads the tooltip: the name of
 * the frame under (x, y), or null. speedscope updates its hover state in
 * the event handler and Preact renders in a microtask, so the tooltip is
 * current a few microtasks later (no animation frame needed: the test does
 * not look at the pixels).
 */
const PROBE_SRC = `
	const canvases = Array.from(document.querySelectorAll("canvas"))
		.map((c) => ({ c, b: c.getBoundingClientRect() }))
		.filter((o) => o.b.height > 0 && o.b.height < window.innerHeight - 1);
	canvases.sort((a, b) => b.b.height - a.b.height);
	const chart = canvases[0];
	const tipName = () => {
		/* the tooltip: a positioned div; its first row a <span> weight, " ", the name */
		for (const span of document.querySelectorAll('div[style*="left"][style*="top"] > div > span:first-child')) {
			const row = span.parentElement;
			let name = "";
			for (const n of row.childNodes)
				if (n.nodeType === Node.TEXT_NODE)
					name += n.textContent;
			return name.startsWith(" ") ? name.slice(1) : name;
		}
		return null;
	};
	const probe = async (x, y) => {
		chart.c.dispatchEvent(new MouseEvent("mousemove", {
			clientX: x, clientY: y, bubbles: true, view: window }));
		for (let i = 0; i < 4; i++)
			await Promise.resolve();
		return tipName();
	};
	const leave = () => chart.c.dispatchEvent(new MouseEvent("mouseleave", { bubbles: true }));
`;

/*
 * Read the Time Order chart: for each of columns points across it, the
 * outermost frame whose name is in wanted (null: none). Rows are
 * speedscope's 20 px frames, the first found by probing down from the
 * chart's top (below its time ruler).
 */
function readTimeOrder(page, wanted, columns) {
	return page.evaluate(new Function("args", PROBE_SRC + `
		return (async () => {
			const { wanted, columns } = args;
			const FRAME = 20;
			if (!chart)
				return { error: "no flame chart canvas" };
			const b = chart.b;
			/* the first row: where a frame first answers, down from the top */
			let row0 = null;
			for (const f of [0.5, 0.25, 0.75, 0.1, 0.9]) {
				for (let y = b.y + 1; y < b.y + 4 * FRAME && row0 === null; y += 2)
					if (await probe(b.x + b.width * f, y) !== null)
						row0 = y;
				if (row0 !== null)
					break;
			}
			if (row0 === null) {
				leave();
				return { error: "no frame answers a hover near the top of the chart" };
			}
			const rowY = (d) => row0 + 4 + d * FRAME;
			const maxDepth = Math.floor((b.y + b.height - rowY(0)) / FRAME);
			const out = [];
			let depth = null;	/* where a wanted name was last found */
			let deepest = 0;
			for (let i = 0; i < columns; i++) {
				const x = b.x + 1 + (b.width - 2) * (i + 0.5) / columns;
				let found = null;
				if (depth !== null) {
					const n = await probe(x, rowY(depth));
					if (n !== null && wanted.includes(n))
						found = { name: n, depth };
				}
				for (let d = 0; !found && d < maxDepth; d++) {
					const n = await probe(x, rowY(d));
					if (n === null)
						break;
					deepest = Math.max(deepest, d);
					if (wanted.includes(n))
						found = { name: n, depth: d };
				}
				if (found)
					depth = found.depth;
				out.push({ x, y: found ? rowY(found.depth) : null,
					name: found ? found.name : null });
			}
			leave();
			return { columns: out, deepest, maxDepth };
		})();
	`), { wanted, columns });
}

/* The tooltip's frame name after a real mouse move to (x, y), or null. */
async function hoverName(page, x, y) {
	await page.mouse.move(x, y);
	for (let waited = 0; waited < 2000; waited += 50) {
		const name = await page.evaluate(new Function(PROBE_SRC + "return tipName();"));
		if (name !== null)
			return name;
		await page.waitForTimeout(50);
	}
	return null;
}

/* The Sandwich table's rows: [{ name, cells }], as rendered (it is virtual). */
function readSandwich(page) {
	return page.evaluate(() => {
		const rows = [];
		for (const tr of document.querySelectorAll("table tr")) {
			if (tr.hasAttribute("title") || !tr.querySelector("td"))
				continue;	/* the profile selector's, or a header */
			const cells = Array.from(tr.querySelectorAll("td")).map((td) => td.textContent.trim());
			rows.push({ name: cells[cells.length - 1], cells });
		}
		return rows;
	});
}

/*
 * Scroll the Sandwich table from its top to its end until a row named
 * name is rendered; that row, or null.
 */
async function scrollSandwich(page, name) {
	const scroll = (to) => page.evaluate((to) => {
		const td = Array.from(document.querySelectorAll("table tr td"))
			.find((c) => !c.parentElement.hasAttribute("title"));
		let el = td;
		while (el && !(el.scrollHeight > el.clientHeight + 1 &&
			       /(auto|scroll)/.test(getComputedStyle(el).overflowY)))
			el = el.parentElement;
		if (!el)
			return false;
		const before = el.scrollTop;
		el.scrollTop = to === 0 ? 0 : before + Math.max(1, el.clientHeight - 40);
		return el.scrollTop !== before;
	}, to);
	await scroll(0);
	for (;;) {
		await page.waitForTimeout(50);
		const hit = (await readSandwich(page)).find((r) => r.name === name);
		if (hit)
			return hit;
		if (!await scroll(1))
			return null;
	}
}

/* ------------------------------------------------------------------------- */
/* The checks                                                                 */

async function run(context, url, opts, doc) {
	const page = await context.newPage();
	const errors = [];
	page.on("pageerror", (e) => errors.push("uncaught: " + e.message));
	page.on("console", (m) => {
		if (m.type() === "error")
			errors.push("console: " + m.text());
	});
	page.on("dialog", async (d) => {
		errors.push(d.type() + ": " + d.message());
		await d.dismiss();
	});
	const names = doc.profiles.map((p) => p.name);

	const loaded = await check("the app imports the file", async () => {
		await page.goto(url);
		await page.waitForFunction(() => {
			const t = document.body ? document.body.innerText : "";
			return /went wrong/i.test(t) ||
				(/Time Order/.test(t) && document.querySelectorAll("canvas").length >= 3);
		}, null, { timeout: WAIT_MS }).catch(() => {
			throw new Error("no flame chart within " + WAIT_MS + " ms" +
				(errors.length ? "\n" + errors.join("\n") : ""));
		});
		const text = await page.evaluate(() => document.body.innerText);
		assert(!/went wrong/i.test(text), "speedscope failed: " + text.slice(0, 300) +
			(errors.length ? "\n" + errors.join("\n") : ""));
		assert(errors.length === 0, errors.join("\n"));
	});
	if (!loaded)
		return;

	await check("the title is the document's name", async () => {
		/* as a title shows it: control characters as spaces, spaces collapsed */
		const shown = (s) => s.replace(/[\x00-\x1f\x7f]/g, " ").replace(/\s+/g, " ").trim();
		const want = shown((doc.name || names[0]) + " - speedscope");
		for (let waited = 0; waited < WAIT_MS; waited += 100) {
			if (shown(await page.title()) === want)
				return;
			await page.waitForTimeout(100);
		}
		throw new Error("title " + q(await page.title()) + ", expected " + q(want));
	});

	await check("the thread list holds the file's " + names.length + " profile(s)" +
		opts.profiles.map((n) => ", " + q(n)).join(""), async () => {
		const list = await readProfileList(page);
		if (!list.selector) {
			assert(names.length === 1, "no profile selector for " + names.length +
				" profiles");
			assert(await showsText(page, names[0]), "the toolbar does not show " +
				q(names[0]));
			list.names = [names[0]];
		} else {
			assert(list.counter === "(1/" + names.length + ")", "the selector reads " +
				q(list.counter) + " for " + names.length + " profiles");
			assert(list.title === names[doc.activeProfileIndex || 0],
				"the profile shown first is " + q(list.title));
		}
		assert(JSON.stringify(list.names) === JSON.stringify(names),
			"it lists " + JSON.stringify(list.names) + ", the file has " +
			JSON.stringify(names));
		for (const want of opts.profiles)
			assert(list.names.includes(want), "no profile " + q(want) + " in " +
				JSON.stringify(list.names));
	});

	if (opts.order.length) {
		const thread = opts.thread || names[doc.activeProfileIndex || 0];
		await check("Time Order of " + q(thread) + " reads " + opts.order.join(", "),
			async () => {
			await selectProfile(page, thread);
			await clickTab(page, "Time Order");
			await page.waitForTimeout(200);
			const wanted = Array.from(new Set(opts.order));
			const r = await readTimeOrder(page, wanted, COLUMNS);
			assert(!r.error, r.error);
			const runs = [];
			for (const c of r.columns) {
				if (c.name === null)
					continue;
				const last = runs[runs.length - 1];
				if (last && last.name === c.name) {
					last.to = c.x;
					last.xs.push(c.x);
				} else {
					runs.push({ name: c.name, from: c.x, to: c.x, xs: [c.x], y: c.y });
				}
			}
			const seen = runs.map((s) => s.name);
			const detail = runs.map((s) => s.name + " x=" + Math.round(s.from) + ".." +
				Math.round(s.to) + " (" + s.xs.length + " columns)").join("; ");
			assert(JSON.stringify(seen) === JSON.stringify(opts.order),
				"left to right: " + (runs.length ? detail : "none of " +
				JSON.stringify(wanted) + " in rows 0.." + r.deepest + " of " +
				COLUMNS + " columns"));
			/* the same frame under a real mouse, at the middle column of each run */
			for (const s of runs) {
				const x = s.xs[s.xs.length >> 1];
				const name = await hoverName(page, x, s.y);
				assert(name === s.name, "a real hover at (" + Math.round(x) + ", " +
					Math.round(s.y) + ") shows " + q(name) + ", the probe read " +
					q(s.name));
			}
			await page.mouse.move(1, 1);
			console.log("# " + detail);
			if (opts.screenshot)
				await page.screenshot({ path: opts.screenshot });
		});
	}

	if (opts.hot) {
		await check("Sandwich lists " + q(opts.hot), async () => {
			await clickTab(page, "Sandwich");
			let rows = [];
			for (let waited = 0; waited < WAIT_MS && !rows.length; waited += 100) {
				rows = await readSandwich(page);
				if (!rows.length)
					await page.waitForTimeout(100);
			}
			assert(rows.length, "no Sandwich table rows");
			let hit = rows.find((r) => r.name === opts.hot);
			if (!hit) {
				/*
				 * Not among the rows rendered (the table renders what is in
				 * view): narrow it with its search, and scroll what is left.
				 */
				await page.keyboard.press("Control+f");
				await page.waitForFunction(() => document.activeElement &&
					document.activeElement.localName === "input", null,
					{ timeout: WAIT_MS }).catch(() => {
					throw new Error("no row " + q(opts.hot) + " shown, and Ctrl+F " +
						"opened no search box");
				});
				await page.keyboard.type(opts.hot);
				const want = opts.hot.toLowerCase();
				for (let waited = 0; waited < WAIT_MS; waited += 100) {
					await page.waitForTimeout(100);
					rows = await readSandwich(page);
					if (rows.every((r) => r.name.toLowerCase().includes(want)) ||
					    (rows.length === 1 && rows[0].cells.length === 1))
						break;	/* filtered, or its "no match" row */
				}
				hit = await scrollSandwich(page, opts.hot);
			}
			assert(hit, "no row " + q(opts.hot) + " among " +
				JSON.stringify(rows.slice(0, 20).map((r) => r.name)));
			console.log("# sandwich: " + hit.cells.join(" | "));
		});
	}

	await page.close();
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	H.findChromium(R);
	let dist;
	try {
		dist = path.join(path.dirname(require.resolve("speedscope/package.json")),
			"dist", "release");
	} catch (e) {
		skip("speedscope is not installed (run 'npm ci' in tests/browser)");
	}
	if (!fs.existsSync(path.join(dist, "index.html")))
		skip("no speedscope app at '" + dist + "'");

	let doc;
	try {
		doc = JSON.parse(fs.readFileSync(opts.file, "utf8"));
	} catch (e) {
		notOk("the file is JSON", e.message);
		return 1;
	}
	if (!Array.isArray(doc.profiles) || !doc.profiles.length) {
		notOk("the file has profiles", "no \"profiles\" array in '" + opts.file + "'");
		return 1;
	}

	let server = null;
	try {
		server = await serve(dist, path.resolve(opts.file));
		const url = "http://127.0.0.1:" + server.address().port + "/index.html#profileURL=" +
			encodeURIComponent(server.profileUrl);
		await H.withChromium(R, "fg-speedscope-", VIEWPORT,
			(context) => run(context, url, opts, doc));
	} catch (e) {
		notOk("run", e && e.stack ? e.stack : e);
	} finally {
		if (server)
			await new Promise((resolve) => server.close(resolve));
	}
	return R.finish();
}

R.main(main);
