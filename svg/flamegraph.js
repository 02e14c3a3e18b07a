/*
 * flamegraph.js - the interactive part of every SVG flame graph.
 *
 * The SVG writer embeds this file, unchanged, in a CDATA section of the
 * document's <script>, right after a first CDATA section that defines the
 * per-graph settings:
 *
 *	nametype, fontsize, fontwidth, xpad, inverted, searchcolor,
 *	fluiddrawing, truncate_text_right
 *
 * and the root <svg> calls init(evt) from its onload attribute. Because of
 * the CDATA section, this file must never contain the three characters that
 * end one (two closing square brackets followed by '>'), not even in a
 * comment; the e2e test t5900 checks that. Keep it ASCII too: the embedding
 * tool escapes other bytes, but there is no need for any.
 *
 * What it does:
 *   - click on a frame zooms to it (state kept in the URL as ?x=&y=);
 *     "Reset Zoom" undoes it; for <a> frames only Ctrl-click zooms;
 *   - hover shows "nametype title" in the details line;
 *   - search (button, Ctrl-F, F3) takes a regular expression, highlights
 *     the matching frames with searchcolor and shows the share of samples
 *     they cover (state kept in the URL as ?s=);
 *   - labels are re-fitted to the real font and the current frame widths;
 *   - in fluid mode the graph follows the width of the window.
 *
 * Performance (inferno #256 is about large graphs freezing the browser):
 * the document's frames are read once, at init, into plain records; every
 * later pass works on those records and only touches the DOM to write
 * values that actually change. Label fitting never interleaves reads and
 * writes of layout: with a monospace font (the default) it is pure
 * arithmetic; otherwise all labels needing a measurement are written first,
 * then all are measured in one layout, then all results are written.
 */

var flamegraph = (function () {
	"use strict";

	var SVG_NS = "http://www.w3.org/2000/svg";
	var FG_NS = "http://github.com/jonhoo/inferno";

	/* Pixels between a frame's left edge and the start of its label. */
	var LABEL_PAD = 3;
	/* Labels need room for at least this many characters to be shown. */
	var MIN_LABEL_CHARS = 2;
	/* Names made only of these characters take one cell of a monospace font. */
	var NARROW_CHARS = /^[\u0020-\u007e\u00a0-\u024f]*$/;
	/* One code point: a surrogate pair or any single UTF-16 unit. */
	var CODE_POINT = /[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g;

	/* Settings from the writer's var block (read in init). */
	var cfg = null;

	/* Cached elements. */
	var root = null;		/* the outermost <svg> */
	var framesEl = null;		/* <svg id="frames"> */
	var detailsEl = null, unzoomBtn = null, searchBtn = null, matchedEl = null;

	/*
	 * One record per frame, in document order. Fields:
	 *   node	the <g> or <a> element; rect, text: its children
	 *   link	true for <a> frames (a plain click follows the link)
	 *   title	the <title> text, "name (N samples, P%)"
	 *   name	the function name (title without the trailing "(...)")
	 *   narrow	name fits the monospace fast path
	 *   sx, sw	fg:x and fg:w: start and width in samples
	 *   y		the rect's y, as a number; ys: as written (for the URL)
	 *   x0, w0	x and width attributes as written (restored on unzoom)
	 *   xp, wp	current x and width, in percent of the frames area
	 *   xs, ws	current x and width attributes as strings
	 *   tx		current label x attribute; label: current label text
	 *   state	"" (shown), "hide" or "parent"
	 *   full	width of the full name in pixels (-1: not measured yet)
	 *   fitFor, fitLabel	the last measured fit: available width and label
	 *   fill	the original fill, saved while a search highlights the frame
	 */
	var frames = [];
	var byNode = typeof WeakMap === "function" ? new WeakMap() : null;
	var totalSamples = 0;

	/* Geometry, in pixels. */
	var framesPx = 0;	/* current width of the frames area */
	var monoWidth = 0;	/* width of one char if the font is monospace, else 0 */
	var avgWidth = 0;	/* estimated width of one char */
	var dotsWidth = 0;	/* width of ".." */

	/* Interaction state. */
	var zoomed = null;		/* the frame zoomed to, or null */
	var searchTerm = null;		/* active search term, or null */
	var searchRe = null;
	var lit = [];			/* frames currently highlighted */
	var api = { ready: false };

	/* ----------------------------------------------------------------- */
	/* Small helpers                                                       */

	function setting(value, type, fallback) {
		return typeof value === type ? value : fallback;
	}

	function readSettings() {
		/* Each name is guarded: a document may lack some of them. */
		return {
			nametype: setting(typeof nametype !== "undefined" ? nametype : undefined,
				"string", "Function:"),
			fontsize: setting(typeof fontsize !== "undefined" ? fontsize : undefined,
				"number", 12),
			fontwidth: setting(typeof fontwidth !== "undefined" ? fontwidth : undefined,
				"number", 0.59),
			xpad: setting(typeof xpad !== "undefined" ? xpad : undefined, "number", 10),
			inverted: !!(typeof inverted !== "undefined" && inverted),
			searchcolor: setting(typeof searchcolor !== "undefined" ? searchcolor : undefined,
				"string", "#e600e6"),
			fluid: !!(typeof fluiddrawing !== "undefined" && fluiddrawing),
			truncRight: !!(typeof truncate_text_right !== "undefined" && truncate_text_right)
		};
	}

	function pct(v) {
		return v.toFixed(4) + "%";
	}

	function setText(el, s) {
		if (el && el.textContent !== s)
			el.textContent = s;
	}

	/* The first child element of node called name, or null. */
	function child(node, name) {
		for (var c = node.firstElementChild; c; c = c.nextElementSibling) {
			if (c.localName === name)
				return c;
		}
		return null;
	}

	function defer(fn) {
		if (typeof window.requestAnimationFrame === "function")
			window.requestAnimationFrame(fn);
		else
			setTimeout(fn, 16);
	}

	/* ----------------------------------------------------------------- */
	/* URL state: ?x=<fg:x>&y=<rect y>&s=<search term>                     */

	function decode(s) {
		try {
			return decodeURIComponent(s);
		} catch (e) {
			return s;	/* a stray '%' is kept as written */
		}
	}

	/* The query string as [key, value] pairs, in order. */
	function readParams() {
		var q = window.location.search.replace(/^\?/, "");
		var out = [];
		if (!q)
			return out;
		q.split("&").forEach(function (part) {
			if (!part)
				return;
			var eq = part.indexOf("=");
			if (eq < 0)
				out.push([decode(part), ""]);
			else
				out.push([decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
		});
		return out;
	}

	function getParam(params, key) {
		for (var i = 0; i < params.length; i++) {
			if (params[i][0] === key)
				return params[i][1];
		}
		return null;
	}

	/*
	 * Apply changes ({key: value or null to remove}) to the query string
	 * with history.replaceState, keeping other parameters and the hash.
	 */
	function updateParams(changes) {
		var params = readParams().filter(function (p) {
			return !Object.prototype.hasOwnProperty.call(changes, p[0]);
		});
		Object.keys(changes).forEach(function (k) {
			if (changes[k] !== null && changes[k] !== undefined)
				params.push([k, String(changes[k])]);
		});
		var q = params.map(function (p) {
			return encodeURIComponent(p[0]) + "=" + encodeURIComponent(p[1]);
		}).join("&");
		var loc = window.location;
		var base = loc.href.replace(/[?#].*$/, "");
		try {
			window.history.replaceState(null, "", base + (q ? "?" + q : "") + loc.hash);
		} catch (e) {
			/* Some viewers refuse replaceState (sandboxed, data: URLs): no state then. */
		}
	}

	/* ----------------------------------------------------------------- */
	/* Reading the document                                                */

	function collectFrames() {
		var total = parseInt(framesEl.getAttribute("total_samples"), 10);
		var widest = 0;
		var i = 0;

		for (var node = framesEl.firstElementChild; node; node = node.nextElementSibling) {
			var rect = child(node, "rect");
			var titleEl = child(node, "title");
			if (!rect || !titleEl)
				continue;
			var title = titleEl.textContent;
			var cut = title.lastIndexOf(" (");
			var name = cut >= 0 ? title.slice(0, cut) : title;
			var text = child(node, "text") || makeLabel(node, rect);
			var x0 = rect.getAttribute("x") || "0%";
			var w0 = rect.getAttribute("width") || "0%";
			var f = {
				node: node, rect: rect, text: text,
				link: node.localName === "a",
				title: title, name: name,
				narrow: NARROW_CHARS.test(name),
				sx: parseInt(rect.getAttribute("fg:x"), 10),
				sw: parseInt(rect.getAttribute("fg:w"), 10),
				ys: rect.getAttribute("y") || "0",
				y: 0,
				x0: x0, w0: w0,
				xp: parseFloat(x0) || 0, wp: parseFloat(w0) || 0,
				xs: x0, ws: w0,
				tx: text.getAttribute("x"),
				label: text.textContent,
				state: "",
				full: -1, fitFor: -1, fitLabel: "",
				fill: null
			};
			f.y = parseFloat(f.ys) || 0;
			frames.push(f);
			if (byNode)
				byNode.set(node, f);
			else
				node.fgFrameIndex = i;
			i++;
			if (f.sw > widest)
				widest = f.sw;
		}

		/*
		 * Without a usable total, the root frame (the widest) is the total;
		 * without any counts at all, work in hundredths of a percent.
		 */
		totalSamples = total > 0 ? total : widest > 0 ? widest : 10000;
		/* Documents without fg:x/fg:w (perl-style): derive them from x/width. */
		frames.forEach(function (f) {
			if (isNaN(f.sx))
				f.sx = Math.round(f.xp * totalSamples / 100);
			if (isNaN(f.sw))
				f.sw = Math.round(f.wp * totalSamples / 100);
		});
	}

	/* Writers always emit a <text>, but a missing one must not break zooming. */
	function makeLabel(node, rect) {
		var t = document.createElementNS(SVG_NS, "text");
		var y = parseFloat(rect.getAttribute("y")) || 0;
		var h = parseFloat(rect.getAttribute("height")) || 0;
		t.setAttribute("x", rect.getAttribute("x") || "0");
		t.setAttribute("y", (y + h / 2 + 3).toFixed(2));
		node.appendChild(t);
		return t;
	}

	/* The frame record for an event target inside #frames, or null. */
	function frameOf(target) {
		var node = target;
		while (node && node.parentNode !== framesEl)
			node = node.parentNode;
		if (!node)
			return null;
		if (byNode)
			return byNode.get(node) || null;
		return typeof node.fgFrameIndex === "number" ? frames[node.fgFrameIndex] : null;
	}

	/*
	 * Measure the label font once: is it monospace (as the default is), and
	 * how wide are one character and "..". The probes are clones of a real
	 * label, so that they get exactly the labels' style.
	 */
	function measureFont() {
		avgWidth = cfg.fontsize * cfg.fontwidth;
		monoWidth = 0;
		dotsWidth = 2 * avgWidth;
		if (!frames.length)
			return;
		var model = frames[0].text;
		var probes = ["!!!!!!!!!!!!!!!!!!!!", "WWWWWWWWWWWWWWWWWWWW", ".."].map(function (s) {
			var p = model.cloneNode(false);
			p.textContent = s;
			model.parentNode.appendChild(p);
			return p;
		});
		var w;
		try {
			w = probes.map(function (p) { return p.getComputedTextLength(); });
		} catch (e) {
			w = [0, 0, 0];
		}
		probes.forEach(function (p) { p.parentNode.removeChild(p); });
		if (!(w[0] > 0 && w[1] > 0))
			return;		/* not rendered (display:none, <img>): keep estimates */
		avgWidth = (w[0] + w[1]) / 40;
		dotsWidth = w[2] > 0 ? w[2] : 2 * avgWidth;
		if (Math.abs(w[0] - w[1]) <= 0.01 * w[1])
			monoWidth = w[1] / 20;
	}

	/* ----------------------------------------------------------------- */
	/* Labels                                                              */

	/* Cut name to n characters (n >= 3, counting the ".."). */
	function truncateMono(name, n) {
		var keep = n - 2;
		if (cfg.truncRight)
			return name.slice(0, keep) + "..";
		return ".." + name.slice(name.length - keep);
	}

	function setLabel(f, s) {
		if (f.label !== s) {
			f.text.textContent = s;
			f.label = s;
		}
	}

	/*
	 * Measured fitting, for proportional fonts and wide characters. Phase 1
	 * writes the full name of every frame to measure, phase 2 only reads
	 * (one layout for all of them), and phase 3 writes the results. The
	 * width of each full name is kept (f.full), so that later passes
	 * measure only the frames that must be cut, and a frame whose width did
	 * not change reuses its last result (f.fitFor, f.fitLabel).
	 */
	function fitMeasured(list) {
		var results = [];
		list.forEach(function (item) {
			setLabel(item.f, item.f.name);
		});
		list.forEach(function (item) {
			var f = item.f;
			if (f.full < 0) {
				try {
					f.full = f.text.getComputedTextLength();
				} catch (e) {
					f.full = f.name.length * avgWidth;
				}
			}
			results.push(f.full <= item.avail ? f.name : measureCut(f, item.avail));
		});
		list.forEach(function (item, i) {
			item.f.fitFor = item.avail;
			item.f.fitLabel = results[i];
			setLabel(item.f, results[i]);
		});
	}

	/*
	 * The label for f that fits in avail pixels, when its full name (now
	 * the text's content, f.full pixels wide) does not.
	 */
	function measureCut(f, avail) {
		var t = f.text, name = f.name, full = f.full;

		/* Offsets (in UTF-16 units) of every code point boundary. */
		var cuts = [0];
		var m, off = 0;
		CODE_POINT.lastIndex = 0;
		while ((m = CODE_POINT.exec(name)) !== null) {
			off += m[0].length;
			cuts.push(off);
		}
		var n = cuts.length - 1;
		var prefix = function (k) {	/* width of the first cuts[k] units */
			if (k <= 0)
				return 0;
			if (k >= n)
				return full;
			try {
				return t.getSubStringLength(0, cuts[k]);
			} catch (e) {
				return full * k / n;
			}
		};
		var room = avail - dotsWidth;
		var lo, hi, mid;
		if (cfg.truncRight) {
			/* The longest prefix with prefix(k) <= room. */
			lo = 0;
			hi = n;
			while (lo < hi) {
				mid = (lo + hi + 1) >> 1;
				if (prefix(mid) <= room)
					lo = mid;
				else
					hi = mid - 1;
			}
			return lo > 0 ? name.slice(0, cuts[lo]) + ".." : "";
		}
		/* The longest suffix: smallest k with full - prefix(k) <= room. */
		lo = 0;
		hi = n;
		while (lo < hi) {
			mid = (lo + hi) >> 1;
			if (full - prefix(mid) <= room)
				hi = mid;
			else
				lo = mid + 1;
		}
		return lo < n ? ".." + name.slice(cuts[lo]) : "";
	}

	/*
	 * Position and fit the label of every visible frame to its current
	 * width. Reads only cached numbers; writes only what changed.
	 */
	function relabel() {
		var padPct = 100 * LABEL_PAD / framesPx;
		var minPx = MIN_LABEL_CHARS * (monoWidth || avgWidth);
		var slow = [];

		for (var i = 0; i < frames.length; i++) {
			var f = frames[i];
			if (f.state === "hide")
				continue;
			var tx = pct(f.xp + padPct);
			if (f.tx !== tx) {
				f.text.setAttribute("x", tx);
				f.tx = tx;
			}
			var avail = f.wp * framesPx / 100 - LABEL_PAD;
			if (avail < minPx) {
				setLabel(f, "");
			} else if (monoWidth && f.narrow) {
				var fit = Math.floor(avail / monoWidth);
				if (f.name.length <= fit)
					setLabel(f, f.name);
				else
					setLabel(f, fit >= 3 ? truncateMono(f.name, fit) : "");
			} else if (Math.abs(f.fitFor - avail) < 0.01) {
				setLabel(f, f.fitLabel);	/* same width as last time */
			} else if (f.full >= 0 && f.full <= avail) {
				setLabel(f, f.name);		/* known to fit */
			} else {
				slow.push({ f: f, avail: avail });
			}
		}
		if (slow.length)
			fitMeasured(slow);
	}

	/* ----------------------------------------------------------------- */
	/* Zoom                                                                */

	/* Set a frame's class and geometry, touching the DOM only on change. */
	function place(f, state, xs, ws, xp, wp) {
		if (f.state !== state) {
			if (f.state)
				f.node.classList.remove(f.state);
			if (state)
				f.node.classList.add(state);
			f.state = state;
		}
		if (state === "hide")
			return;		/* invisible: geometry is set when it shows again */
		if (f.xs !== xs) {
			f.rect.setAttribute("x", xs);
			f.xs = xs;
		}
		if (f.ws !== ws) {
			f.rect.setAttribute("width", ws);
			f.ws = ws;
		}
		f.xp = xp;
		f.wp = wp;
	}

	/* Is a on the root side of b (a lower depth)? */
	function rootward(a, b) {
		return cfg.inverted ? a.y < b.y : a.y > b.y;
	}

	/* Does f have an ancestor (a frame rootward of it covering its range)? */
	function hasAncestor(f) {
		for (var i = 0; i < frames.length; i++) {
			var g = frames[i];
			if (rootward(g, f) && g.sx <= f.sx && g.sx + g.sw >= f.sx + f.sw)
				return true;
		}
		return false;
	}

	/*
	 * Show the graph zoomed to frame t (null: the whole graph). Every
	 * frame's state is computed from scratch, so zooming from one zoomed
	 * view to another (or to an ancestor) needs no unzoom first.
	 */
	function applyView(t) {
		var i, f;
		if (!t) {
			for (i = 0; i < frames.length; i++) {
				f = frames[i];
				place(f, "", f.x0, f.w0, parseFloat(f.x0) || 0, parseFloat(f.w0) || 0);
			}
		} else {
			var lo = t.sx, hi = t.sx + t.sw, span = t.sw || 1;
			for (i = 0; i < frames.length; i++) {
				f = frames[i];
				if (f !== t && rootward(f, t)) {
					/* An ancestor spans the whole view; anything else there hides. */
					if (f.sx <= lo && f.sx + f.sw >= hi)
						place(f, "parent", "0%", "100%", 0, 100);
					else
						place(f, "hide");
				} else if (f.sx < lo || f.sx >= hi) {
					place(f, "hide");
				} else {
					/* t itself or a descendant: rescale from the sample counts. */
					var xp = 100 * (f.sx - lo) / span;
					var wp = Math.min(100 * f.sw / span, 100 - xp);
					place(f, "", pct(xp), pct(wp), xp, wp);
				}
			}
		}
		zoomed = t;
		relabel();
		if (searchTerm !== null)
			runSearch();
	}

	function zoom(f) {
		if (!hasAncestor(f)) {
			/* Zooming to the root is the unzoomed view. */
			resetZoom();
			return;
		}
		applyView(f);
		unzoomBtn.classList.remove("hide");
		updateParams({ x: f.sx, y: f.ys });
	}

	function resetZoom() {
		applyView(null);
		unzoomBtn.classList.add("hide");
		updateParams({ x: null, y: null });
	}

	/* ----------------------------------------------------------------- */
	/* Search                                                              */

	function clearHighlights() {
		lit.forEach(function (f) {
			if (f.fill === null)
				f.rect.removeAttribute("fill");
			else
				f.rect.setAttribute("fill", f.fill);
			f.rect.removeAttributeNS(FG_NS, "orig_fill");
		});
		lit = [];
	}

	/*
	 * Highlight the visible frames matching searchRe and show the share of
	 * the view they cover. Matches nested in other matches count once:
	 * sorted by start (widest first), a match counts only if it starts at or
	 * after the end of the last one counted. The share is relative to the
	 * widest visible frame (the zoomed frame, or the root).
	 */
	function runSearch() {
		var matches = [];
		var widest = 0;
		var i, f;

		clearHighlights();
		for (i = 0; i < frames.length; i++) {
			f = frames[i];
			if (f.state !== "")
				continue;	/* hidden or parent frames are out of view */
			if (f.sw > widest)
				widest = f.sw;
			if (searchRe.test(f.name))
				matches.push(f);
		}
		for (i = 0; i < matches.length; i++) {
			f = matches[i];
			f.fill = f.rect.getAttribute("fill");
			if (f.fill !== null)
				f.rect.setAttributeNS(FG_NS, "fg:orig_fill", f.fill);
			f.rect.setAttribute("fill", cfg.searchcolor);
			lit.push(f);
		}

		matches.sort(function (a, b) {
			return a.sx - b.sx || b.sw - a.sw;
		});
		var covered = 0, end = -Infinity;
		for (i = 0; i < matches.length; i++) {
			f = matches[i];
			if (f.sx >= end) {
				covered += f.sw;
				end = f.sx + f.sw;
			}
		}
		var share = widest > 0 ? 100 * covered / widest : 0;
		setText(matchedEl, "Matched: " + (share === 100 ? "100" : share.toFixed(1)) + "%");
		matchedEl.classList.remove("hide");
	}

	/*
	 * Search for term, a regular expression (case-sensitive). Returns
	 * false and changes nothing when the term is not a valid expression.
	 */
	function search(term) {
		var re;
		try {
			re = new RegExp(term);
		} catch (e) {
			setText(detailsEl, "Search: invalid regular expression: " + term);
			return false;
		}
		searchTerm = term;
		searchRe = re;
		runSearch();
		setText(searchBtn, "Reset Search");
		searchBtn.classList.add("show");
		updateParams({ s: term });
		return true;
	}

	function resetSearch() {
		clearHighlights();
		searchTerm = null;
		searchRe = null;
		setText(matchedEl, " ");
		setText(searchBtn, "Search");
		searchBtn.classList.remove("show");
		updateParams({ s: null });
	}

	/* Ask for a term; an empty answer clears the search, Cancel does nothing. */
	function searchPrompt() {
		var term = window.prompt("Enter a search term (regexp allowed, eg: ^ext4_)",
			searchTerm === null ? "" : searchTerm);
		if (term === null)
			return;
		if (term === "")
			resetSearch();
		else
			search(term);
	}

	/* ----------------------------------------------------------------- */
	/* Width                                                               */

	/* Fluid mode: make the frames area and the right-hand texts follow the window. */
	function fitWidth() {
		var box = root.getBoundingClientRect();
		var w = box.width > 0 ? box.width : window.innerWidth;
		var inner = Math.max(1, w - 2 * cfg.xpad);
		var right = String(w - cfg.xpad);
		if (Math.abs(inner - framesPx) >= 0.5) {
			framesPx = inner;
			framesEl.setAttribute("width", String(inner));
		}
		if (searchBtn.getAttribute("x") !== right)
			searchBtn.setAttribute("x", right);
		if (matchedEl.getAttribute("x") !== right)
			matchedEl.setAttribute("x", right);
		relabel();
	}

	/* ----------------------------------------------------------------- */
	/* Events                                                              */

	function onClick(e) {
		var f = frameOf(e.target);
		if (!f)
			return;
		if (f.link) {
			/* A link's own click navigates; Ctrl-click zooms instead. */
			if (!e.ctrlKey)
				return;
			e.preventDefault();
		}
		zoom(f);
	}

	function onOver(e) {
		var f = frameOf(e.target);
		if (f)
			setText(detailsEl, cfg.nametype + " " + f.title);
	}

	function onOut(e) {
		var f = frameOf(e.target);
		if (f && frameOf(e.relatedTarget) !== f)
			setText(detailsEl, " ");
	}

	function onKey(e) {
		var f3 = e.key === "F3" || e.keyCode === 114;
		var ctrlF = e.ctrlKey && !e.altKey &&
			(e.key === "f" || e.key === "F" || e.keyCode === 70);
		if (f3 || ctrlF) {
			e.preventDefault();
			searchPrompt();
		}
	}

	/* ----------------------------------------------------------------- */
	/* Start-up                                                            */

	/* Zoom and search as the URL says (a link someone shared). */
	function restoreState() {
		var params = readParams();
		var x = getParam(params, "x"), y = getParam(params, "y");
		var s = getParam(params, "s");
		var zoomedNow = false;

		if (x !== null && y !== null) {
			var sx = parseInt(x, 10), sy = parseFloat(y);
			for (var i = 0; i < frames.length; i++) {
				var f = frames[i];
				if (f.sx === sx && Math.abs(f.y - sy) < 0.5) {
					zoom(f);
					zoomedNow = true;
					break;
				}
			}
		}
		if (s !== null && s !== "")
			search(s);
		return zoomedNow;
	}

	function init(evt) {
		if (root)
			return;		/* already initialised */
		var target = evt && evt.target;
		root = target && target.localName === "svg" ? target : document.documentElement;
		cfg = readSettings();
		framesEl = document.getElementById("frames");
		detailsEl = document.getElementById("details");
		unzoomBtn = document.getElementById("unzoom");
		searchBtn = document.getElementById("search");
		matchedEl = document.getElementById("matched");
		if (!framesEl || !detailsEl || !unzoomBtn || !searchBtn || !matchedEl)
			return;		/* not one of our documents */

		collectFrames();
		framesPx = parseFloat(framesEl.getAttribute("width")) ||
			(parseFloat(root.getAttribute("width")) || 1200) - 2 * cfg.xpad;
		measureFont();

		framesEl.addEventListener("click", onClick);
		framesEl.addEventListener("mouseover", onOver);
		framesEl.addEventListener("mouseout", onOut);
		unzoomBtn.addEventListener("click", function () { resetZoom(); });
		searchBtn.addEventListener("click", function () {
			if (searchTerm !== null)
				resetSearch();
			else
				searchPrompt();
		});
		window.addEventListener("keydown", onKey);

		if (!restoreState())
			relabel();

		if (!cfg.fluid) {
			api.ready = true;
			return;
		}
		/* Fluid: the root takes the window's width; frames are in percent. */
		root.removeAttribute("width");
		root.removeAttribute("viewBox");
		var pending = false;
		window.addEventListener("resize", function () {
			if (pending)
				return;
			pending = true;
			defer(function () {
				pending = false;
				fitWidth();
			});
		});
		/* Deferred: some browsers (Safari) report the new width only later. */
		setTimeout(function () {
			fitWidth();
			api.ready = true;
		}, 0);
	}

	api.init = init;
	/* For tests and embedders: zoom to the frame holding node. */
	api.zoom = function (node) {
		var f = root && node ? frameOf(node) : null;
		if (f)
			zoom(f);
	};
	api.resetZoom = function () { if (root) resetZoom(); };
	api.search = function (term) { return root ? search(term) : false; };
	api.resetSearch = function () { if (root) resetSearch(); };
	api.isZoomed = function () { return zoomed !== null; };
	return api;
})();

/* Called by the document: <svg onload="init(evt)">. */
function init(evt) {
	flamegraph.init(evt);
}
