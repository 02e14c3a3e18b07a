#!/usr/bin/env node
/*
 * browser-test.js - drive a real browser (Debian's Chromium, headless,
 * through playwright-core) over an SVG flame graph and check that the
 * embedded svg/flamegraph.js works: zoom, reset, search, hover, URL state,
 * label fitting, links and fluid width.
 *
 * usage: node browser-test.js FILE.svg [options]
 *
 *   --js FILE          replace the document's script (its last CDATA block)
 *                      with FILE first: how tests/browser/fixture.svg is
 *                      tested against the current svg/flamegraph.js
 *   --zoom NAME        the frame to zoom to (default: parse); it should
 *                      have a parent and at least one child
 *   --search REGEX     the search term to try (default: parse|lex)
 *   --screenshot PNG   also save a screenshot of the graph (unzoomed, with
 *                      the details line showing); env FG_BROWSER_SCREENSHOT
 *                      does the same
 *
 * Environment: CHROMIUM (default /usr/bin/chromium).
 *
 * Prints "ok - browser: CHECK" or "not ok - browser: CHECK" per check.
 * Exit status: 0 all passed, 1 a check failed or the browser would not
 * start, 77 skipped (no Chromium, or playwright-core not installed: run
 * "npm ci" in tests/browser), 64 usage.
 *
 * The browser runs with a fresh profile and every network-facing feature
 * off: the machines this runs on have no internet access.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");

const H = require("./harness");
const { USAGE } = H;
const R = H.reporter("browser");
const { ok, notOk, check, assert } = R;

/* Time allowed for one wait (script ready, a state change), in ms. */
const WAIT_MS = 10000;

function usage(msg) {
	if (msg)
		console.error("browser-test: " + msg);
	console.error("usage: node browser-test.js FILE.svg [--js FILE] [--zoom NAME] " +
		"[--search REGEX] [--screenshot PNG]");
	process.exit(USAGE);
}

function parseArgs(argv) {
	const opts = { svg: null, js: null, zoom: "parse", search: "parse|lex",
		screenshot: process.env.FG_BROWSER_SCREENSHOT || null };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => {
			if (i + 1 >= argv.length)
				usage("option '" + a + "' needs a value");
			return argv[++i];
		};
		if (a === "--js")
			opts.js = value();
		else if (a === "--zoom")
			opts.zoom = value();
		else if (a === "--search")
			opts.search = value();
		else if (a === "--screenshot")
			opts.screenshot = value();
		else if (a === "-h" || a === "--help")
			usage();
		else if (a.startsWith("-"))
			usage("unknown option '" + a + "'");
		else if (opts.svg === null)
			opts.svg = a;
		else
			usage("only one SVG file, please");
	}
	if (opts.svg === null)
		usage("no SVG file given");
	return opts;
}

/*
 * The document to load: the SVG itself, or with --js a copy whose last
 * CDATA block in the script is replaced with the given file.
 */
function prepareDocument(opts, tmpdir) {
	if (!opts.js)
		return path.resolve(opts.svg);
	const svg = fs.readFileSync(opts.svg, "utf8");
	const js = fs.readFileSync(opts.js, "utf8");
	if (js.includes("]]" + ">"))
		throw new Error("'" + opts.js + "' contains a CDATA terminator");
	const end = svg.indexOf("]]" + "></script>");
	const start = end < 0 ? -1 : svg.lastIndexOf("<![CDATA[", end);
	if (start < 0)
		throw new Error("'" + opts.svg + "' has no <script> CDATA block to replace");
	const out = path.join(tmpdir, path.basename(opts.svg));
	fs.writeFileSync(out, svg.slice(0, start + 9) + js + svg.slice(end));
	return out;
}

/* ------------------------------------------------------------------------- */
/* Reporting                                                                  */

/* ------------------------------------------------------------------------- */
/* Reading the page                                                           */

/* Every frame as plain data, in document order. */
function readFrames(page) {
	return page.evaluate(() => {
		const frames = document.getElementById("frames");
		const out = [];
		for (const node of Array.from(frames.children)) {
			const rect = node.querySelector("rect");
			const title = node.querySelector("title");
			const text = node.querySelector("text");
			if (!rect || !title)
				continue;
			const t = title.textContent;
			const cut = t.lastIndexOf(" (");
			const box = rect.getBoundingClientRect();
			out.push({
				tag: node.localName,
				title: t,
				name: cut >= 0 ? t.slice(0, cut) : t,
				x: rect.getAttribute("x"),
				width: rect.getAttribute("width"),
				y: rect.getAttribute("y"),
				fill: rect.getAttribute("fill"),
				origFill: rect.getAttribute("fg:orig_fill"),
				fx: parseInt(rect.getAttribute("fg:x"), 10),
				fw: parseInt(rect.getAttribute("fg:w"), 10),
				cls: node.getAttribute("class") || "",
				label: text ? text.textContent : "",
				labelPx: text && text.textContent ? text.getComputedTextLength() : 0,
				box: { x: box.x, y: box.y, width: box.width, height: box.height },
			});
		}
		return out;
	});
}

function readUi(page) {
	return page.evaluate(() => {
		const get = (id) => document.getElementById(id);
		const box = get("frames").getBoundingClientRect();
		return {
			details: get("details").textContent,
			matched: get("matched").textContent,
			search: get("search").textContent,
			unzoomHidden: get("unzoom").classList.contains("hide"),
			framesWidth: box.width,
			framesAttr: get("frames").getAttribute("width"),
			searchX: get("search").getAttribute("x"),
			matchedX: get("matched").getAttribute("x"),
			query: window.location.search,
			searchcolor: typeof searchcolor === "string" ? searchcolor : null,
			nametype: typeof nametype === "string" ? nametype : null,
			fluid: typeof fluiddrawing !== "undefined" && !!fluiddrawing,
			xpad: typeof xpad === "number" ? xpad : 10,
		};
	});
}

function query(search) {
	const out = {};
	new URLSearchParams(search).forEach((v, k) => { out[k] = v; });
	return out;
}

function hasClass(f, c) {
	return f.cls.split(/\s+/).includes(c);
}

function byName(frames, name) {
	const f = frames.find((g) => g.name === name);
	assert(f, "no frame named '" + name + "' in the document");
	return f;
}

/* Frames are laid out on rows: is a on the root side of b? */
function rootward(a, b, inverted) {
	return inverted ? Number(a.y) < Number(b.y) : Number(a.y) > Number(b.y);
}

function isAncestor(a, b, inverted) {
	return rootward(a, b, inverted) && a.fx <= b.fx && a.fx + a.fw >= b.fx + b.fw;
}

function isDescendant(a, b, inverted) {
	return a !== b && isAncestor(b, a, inverted);
}

/* "Matched: X%" as the search should compute it over the visible frames. */
function expectedMatched(frames, regex) {
	const re = new RegExp(regex);
	const visible = frames.filter((f) => !hasClass(f, "hide") && !hasClass(f, "parent"));
	const widest = Math.max(0, ...visible.map((f) => f.fw));
	const hits = visible.filter((f) => re.test(f.name))
		.sort((a, b) => a.fx - b.fx || b.fw - a.fw);
	let covered = 0;
	let end = -Infinity;
	for (const f of hits) {
		if (f.fx >= end) {
			covered += f.fw;
			end = f.fx + f.fw;
		}
	}
	const share = widest ? 100 * covered / widest : 0;
	return "Matched: " + (share === 100 ? "100" : share.toFixed(1)) + "%";
}

/* Every shown label is its name or a ".." truncation of it, and fits its box. */
function checkLabels(frames, truncRight) {
	const shown = frames.filter((f) => !hasClass(f, "hide"));
	let full = 0;
	for (const f of shown) {
		if (!f.label)
			continue;
		if (f.label === f.name) {
			full++;
		} else if (truncRight) {
			assert(f.label.endsWith("..") && f.name.startsWith(f.label.slice(0, -2)),
				"label '" + f.label + "' is not a right truncation of '" + f.name + "'");
		} else {
			assert(f.label.startsWith("..") && f.name.endsWith(f.label.slice(2)),
				"label '" + f.label + "' is not a left truncation of '" + f.name + "'");
		}
		assert(f.labelPx <= f.box.width + 0.5,
			"label '" + f.label + "' is " + f.labelPx.toFixed(1) + "px wide in a " +
			f.box.width.toFixed(1) + "px frame");
	}
	assert(full > 0, "no label shows a full name");
	return shown;
}

/* ------------------------------------------------------------------------- */
/* The checks                                                                 */

async function run(context, fileUrl, opts) {
	const page = await context.newPage();
	const errors = [];
	page.on("pageerror", (e) => errors.push("uncaught: " + e.message));
	page.on("console", (m) => {
		if (m.type() === "error")
			errors.push("console: " + m.text());
	});
	/* Any prompt we did not plan for is cancelled (and reported). */
	let answer = null;
	page.on("dialog", async (d) => {
		if (answer === null) {
			errors.push("unexpected " + d.type() + ": " + d.message());
			await d.dismiss();
		} else {
			const a = answer;
			answer = null;
			await d.accept(a);
		}
	});

	/* Wait (a little) for the planned prompt to be answered. */
	const promptAnswered = async () => {
		for (let waited = 0; answer !== null && waited < WAIT_MS; waited += 50)
			await page.waitForTimeout(50);
		return answer === null;
	};
	const open = async (search) => {
		await page.goto(fileUrl + (search || ""));
		try {
			await page.waitForFunction(() => window.flamegraph && window.flamegraph.ready,
				null, { timeout: WAIT_MS });
		} catch (e) {
			throw new Error("the document's script did not finish init() within " +
				WAIT_MS + " ms (is svg/flamegraph.js embedded?)" +
				(errors.length ? "\n" + errors.join("\n") : ""));
		}
	};
	const center = (f) => [f.box.x + f.box.width / 2, f.box.y + f.box.height / 2];
	const click = async (f, withCtrl) => {
		const [x, y] = center(f);
		if (withCtrl)
			await page.keyboard.down("Control");
		await page.mouse.click(x, y);
		if (withCtrl)
			await page.keyboard.up("Control");
	};

	/* The document as loaded, before any interaction. */
	let original = null;
	let ui0 = null;
	let settings = null;
	await check("script initialises", async () => {
		await open();
		original = await readFrames(page);
		ui0 = await readUi(page);
		settings = await page.evaluate(() => ({
			inverted: typeof inverted !== "undefined" && !!inverted,
			truncRight: typeof truncate_text_right !== "undefined" && !!truncate_text_right,
		}));
		assert(original.length > 0, "no frames found in #frames");
		assert(errors.length === 0, errors.join("\n"));
	});
	if (!settings || !original.length) {
		await page.close();
		return;
	}
	const inv = settings.inverted;

	await check("labels fit their frames (" + (settings.truncRight ? "head.." : "..tail") +
		" truncation)", async () => {
		checkLabels(original, settings.truncRight);
	});

	await check("hover shows the frame in #details", async () => {
		const f = byName(original, opts.zoom);
		const [x, y] = center(f);
		await page.mouse.move(x, y);
		const want = ui0.nametype + " " + f.title;
		await page.waitForFunction((w) => document.getElementById("details").textContent === w,
			want, { timeout: WAIT_MS }).catch(async () => {
			throw new Error("details is '" + (await readUi(page)).details + "', expected '" +
				want + "'");
		});
		assert(/^Function: /.test(want), "nametype is not 'Function:': '" + ui0.nametype + "'");
		await page.mouse.move(1, 1);
		const ui = await readUi(page);
		assert(ui.details.trim() === "", "details not cleared on leaving: '" + ui.details + "'");
	});

	await check("click zooms to a frame", async () => {
		const target = byName(original, opts.zoom);
		await click(target);
		const now = await readFrames(page);
		const ui = await readUi(page);
		const t = now[original.indexOf(target)];
		assert(parseFloat(t.width) > 99.9, "zoomed frame width is " + t.width);
		assert(t.box.width >= 0.99 * ui.framesWidth, "zoomed frame is " +
			t.box.width.toFixed(1) + "px of " + ui.framesWidth.toFixed(1) + "px");
		assert(!ui.unzoomHidden, "#unzoom still has class hide");
		now.forEach((f, i) => {
			const o = original[i];
			if (isAncestor(o, target, inv)) {
				assert(hasClass(f, "parent") && parseFloat(f.width) > 99.9,
					"ancestor '" + f.name + "' is not a full-width parent");
			} else if (o === target || isDescendant(o, target, inv)) {
				const want = 100 * (o.fx - target.fx) / target.fw;
				const wantW = 100 * o.fw / target.fw;
				assert(!hasClass(f, "hide") && !hasClass(f, "parent"),
					"'" + f.name + "' is not shown plainly");
				assert(Math.abs(parseFloat(f.x) - want) < 0.01 &&
					Math.abs(parseFloat(f.width) - wantW) < 0.01,
					"'" + f.name + "' at " + f.x + " width " + f.width + ", expected " +
					want.toFixed(4) + "% " + wantW.toFixed(4) + "%");
			} else {
				assert(hasClass(f, "hide"), "'" + f.name + "' outside the zoom is not hidden");
			}
		});
		const q = query(ui.query);
		assert(q.x === String(target.fx) && q.y === target.y,
			"URL query is '" + ui.query + "', expected x=" + target.fx + " and y=" + target.y);
		checkLabels(now, settings.truncRight);
	});

	await check("clicking a parent frame zooms out to it", async () => {
		const target = byName(original, opts.zoom);
		const kids = original.filter((o) => isDescendant(o, target, inv))
			.sort((a, b) => b.fw - a.fw);
		assert(kids.length > 0, "'" + opts.zoom + "' has no child to zoom to");
		const kid = kids[0];
		await click((await readFrames(page))[original.indexOf(kid)]);
		let now = await readFrames(page);
		assert(hasClass(now[original.indexOf(target)], "parent"),
			"'" + target.name + "' is not a parent after zooming to '" + kid.name + "'");
		await click(now[original.indexOf(target)]);
		now = await readFrames(page);
		const t = now[original.indexOf(target)];
		assert(!hasClass(t, "parent") && parseFloat(t.width) > 99.9,
			"'" + t.name + "' is not the zoomed frame (class '" + t.cls + "', width " +
			t.width + ")");
		assert(!hasClass(now[original.indexOf(kid)], "hide") &&
			Math.abs(parseFloat(now[original.indexOf(kid)].width) -
				100 * kid.fw / target.fw) < 0.01, "'" + kid.name + "' is not rescaled");
		const q = query((await readUi(page)).query);
		assert(q.x === String(target.fx) && q.y === target.y, "URL not updated: " +
			JSON.stringify(q));
	});

	await check("Reset Zoom restores the original view", async () => {
		await page.click("#unzoom");
		const now = await readFrames(page);
		const ui = await readUi(page);
		now.forEach((f, i) => {
			const o = original[i];
			assert(f.x === o.x && f.width === o.width, "'" + f.name + "' is at " + f.x +
				" width " + f.width + ", was " + o.x + " width " + o.width);
			assert(!hasClass(f, "hide") && !hasClass(f, "parent"),
				"'" + f.name + "' still has class '" + f.cls + "'");
			assert(f.label === o.label || (f.label === "" && o.label === ""),
				"'" + f.name + "' label is '" + f.label + "', was '" + o.label + "'");
		});
		assert(ui.unzoomHidden, "#unzoom is not hidden again");
		const q = query(ui.query);
		assert(!("x" in q) && !("y" in q), "URL still has x/y: '" + ui.query + "'");
	});

	await check("clicking the root frame is a reset", async () => {
		const target = byName(original, opts.zoom);
		await click(target);
		const root = original.reduce((a, f) => (rootward(f, a, inv) ? f : a));
		await click((await readFrames(page))[original.indexOf(root)]);
		const ui = await readUi(page);
		const q = query(ui.query);
		assert(ui.unzoomHidden, "#unzoom is shown after clicking the root '" + root.name + "'");
		assert(!("x" in q), "URL still has x/y: '" + ui.query + "'");
		const now = await readFrames(page);
		assert(now.every((f, i) => f.width === original[i].width), "widths not restored");
	});

	await check("URL ?x=&y= restores the zoom", async () => {
		const target = byName(original, opts.zoom);
		await open("?x=" + target.fx + "&y=" + encodeURIComponent(target.y));
		const now = await readFrames(page);
		const ui = await readUi(page);
		const t = now[original.indexOf(target)];
		assert(parseFloat(t.width) > 99.9 && t.box.width >= 0.99 * ui.framesWidth,
			"'" + t.name + "' width is " + t.width);
		assert(!ui.unzoomHidden, "#unzoom still has class hide");
		assert(now.some((f) => hasClass(f, "parent")), "no frame has class parent");
	});

	const checkSearch = async (regex, what) => {
		const now = await readFrames(page);
		const ui = await readUi(page);
		const re = new RegExp(regex);
		let hits = 0;
		now.forEach((f, i) => {
			const o = original[i];
			if (re.test(f.name)) {
				hits++;
				assert(f.fill === ui.searchcolor, "'" + f.name + "' fill is " + f.fill +
					", expected searchcolor " + ui.searchcolor);
				assert(f.origFill === o.fill, "'" + f.name + "' fg:orig_fill is " +
					f.origFill + ", expected " + o.fill);
			} else {
				assert(f.fill === o.fill, "'" + f.name + "' changed fill to " + f.fill);
			}
		});
		assert(hits > 0, "'" + regex + "' matches no frame: pick another --search");
		const want = expectedMatched(now, regex);
		assert(ui.matched === want, "#matched is '" + ui.matched + "', expected '" +
			want + "' (" + what + ")");
		assert(ui.search === "Reset Search", "#search says '" + ui.search + "'");
		assert(query(ui.query).s === regex, "URL query is '" + ui.query + "'");
	};

	await check("URL ?s=REGEX highlights matches and shows Matched", async () => {
		await open("?s=" + encodeURIComponent(opts.search));
		await checkSearch(opts.search, "from the URL");
		assert(/^Matched: \d+(\.\d)?%$/.test((await readUi(page)).matched), "bad format");
	});

	await check("Reset Search clears the highlights", async () => {
		await page.click("#search");
		const now = await readFrames(page);
		const ui = await readUi(page);
		now.forEach((f, i) => {
			assert(f.fill === original[i].fill && f.origFill === null,
				"'" + f.name + "' fill " + f.fill + ", fg:orig_fill " + f.origFill);
		});
		assert(ui.matched.trim() === "", "#matched is '" + ui.matched + "'");
		assert(ui.search === "Search", "#search says '" + ui.search + "'");
		assert(!("s" in query(ui.query)), "URL still has s: '" + ui.query + "'");
	});

	await check("Search button prompts for a regex", async () => {
		answer = opts.search;
		await page.click("#search");
		assert(await promptAnswered(), "the Search button did not open a prompt");
		await checkSearch(opts.search, "from the prompt");
	});

	await check("F3 with an invalid regex keeps the search and throws nothing", async () => {
		const before = errors.length;
		answer = "(unclosed";
		await page.keyboard.press("F3");
		assert(await promptAnswered(), "F3 did not open a prompt");
		await checkSearch(opts.search, "after an invalid term");
		assert(errors.length === before, errors.slice(before).join("\n"));
	});

	await check("search while zoomed counts only the zoomed view", async () => {
		const target = byName(original, opts.zoom);
		await click((await readFrames(page)).find((f) => f.title === target.title));
		await checkSearch(opts.search, "zoomed");
		const now = await readFrames(page);
		now.forEach((f) => {
			if (hasClass(f, "parent") || hasClass(f, "hide"))
				assert(f.fill !== (ui0.searchcolor), "hidden/parent '" + f.name +
					"' is highlighted");
		});
		const q = query((await readUi(page)).query);
		assert(q.s === opts.search && q.x === String(target.fx), "URL lost state: " +
			JSON.stringify(q));
	});

	await check("Ctrl-F opens the search prompt", async () => {
		await open();
		answer = opts.search;
		await page.keyboard.press("Control+f");
		assert(await promptAnswered(), "Ctrl-F did not open a prompt");
		await checkSearch(opts.search, "from Ctrl-F");
	});

	const links = original.filter((f) => f.tag === "a");
	if (links.length) {
		await check("<a> frames follow the link on click, zoom on Ctrl-click", async () => {
			await open();
			const link = links[0];
			await click(link);
			await page.waitForTimeout(100);
			let ui = await readUi(page);
			assert(ui.unzoomHidden, "a plain click on link frame '" + link.name + "' zoomed");
			await click((await readFrames(page)).find((f) => f.title === link.title), true);
			ui = await readUi(page);
			const now = await readFrames(page);
			assert(!ui.unzoomHidden, "Ctrl-click did not zoom");
			assert(parseFloat(now[original.indexOf(link)].width) > 99.9,
				"link frame width is " + now[original.indexOf(link)].width);
		});
	}

	if (ui0.fluid) {
		await check("fluid drawing follows the window width", async () => {
			await open();
			const size = page.viewportSize();
			const w = 800;
			await page.setViewportSize({ width: w, height: size.height });
			await page.waitForFunction((want) =>
				document.getElementById("frames").getAttribute("width") === String(want),
				w - 2 * ui0.xpad, { timeout: WAIT_MS }).catch(async () => {
				throw new Error("frames width is " + (await readUi(page)).framesAttr +
					", expected " + (w - 2 * ui0.xpad));
			});
			const ui = await readUi(page);
			assert(ui.searchX === String(w - ui0.xpad) && ui.matchedX === String(w - ui0.xpad),
				"Search/Matched at x=" + ui.searchX + "/" + ui.matchedX);
			checkLabels(await readFrames(page), settings.truncRight);
			await page.setViewportSize(size);
		});
	}

	await check("no script errors", async () => {
		assert(errors.length === 0, errors.join("\n"));
	});

	if (opts.screenshot) {
		await check("screenshot saved to " + opts.screenshot, async () => {
			await open();
			const f = byName(original, opts.zoom);
			const [x, y] = center(f);
			await page.mouse.move(x, y);
			/* fullPage hangs on SVG documents; the viewport fits the graph. */
			await page.screenshot({ path: opts.screenshot });
		});
	}
	await page.close();
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	if (!fs.existsSync(opts.svg))
		usage("cannot open '" + opts.svg + "'");

	let doc;
	await H.withChromium(R, "fg-browser-", (tmpdir) => {
		doc = prepareDocument(opts, tmpdir);
		const height = Number((fs.readFileSync(doc, "utf8")
			.match(/<svg[^>]*?\sheight="(\d+(?:\.\d+)?)"/) || [])[1]) || 600;
		return { width: 1200, height: Math.ceil(height) + 16 };
	}, (context) => run(context, pathToFileURL(doc).href, opts));
	return R.finish();
}

R.main(main);
