#!/usr/bin/env node
// node pprof-format-check.js FILE [--type NAME] [--self OUT]
//
// Decodes a pprof file (gzip-compressed or a bare profile.proto message)
// with the npm package pprof-format, a decoder of its own, independent of
// go tool pprof and of our reader, and checks that every reference in it
// holds: string indexes within the string table (whose first string is
// ""), ids unique and not 0, each sample's locations, each location's
// mapping, each line's function present, one value per sample type and
// none negative. Any failure is one line on standard error and status 1.
//
// Prints a summary on standard output:
//
//   sample_types: samples/count cpu/nanoseconds
//   default_sample_type: cpu            ("-" when the file has none)
//   samples: N                          the Sample messages
//   total: T                            the values of the type counted
//   mapping: 0xSTART/0xLIMIT/0xOFFSET FILE BUILD_ID [FN][FL][LN][IN]
//
// one mapping line each, in the file's order, in the form of go tool
// pprof -raw (without its id) so the two can be compared. The type
// counted is NAME (--type), else the default sample type, else the last,
// as go tool pprof chooses. With --self, OUT gets each function's self
// total of that type, "NAME<TAB>TOTAL" a line (unsorted): the samples
// whose leaf it is, the innermost line of the leaf location, or
// "[FILE]" (its mapping's base name) for a location without lines and
// "[unknown]" without a mapping either, as our folded stacks name them.
'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { Profile } = require('pprof-format');

let file = null;
let typeName = null;
let selfOut = null;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--type' && i + 1 < args.length)
		typeName = args[++i];
	else if (args[i] === '--self' && i + 1 < args.length)
		selfOut = args[++i];
	else if (file === null && !args[i].startsWith('--'))
		file = args[i];
	else
		usage();
}
if (file === null)
	usage();

function usage() {
	console.error('usage: node pprof-format-check.js FILE [--type NAME] [--self OUT]');
	process.exit(2);
}

function fail(msg) {
	console.error(file + ': ' + msg);
	process.exit(1);
}

let data = fs.readFileSync(file);
if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
	try {
		data = zlib.gunzipSync(data);
	} catch (e) {
		fail('gunzip: ' + e.message);
	}
}
let prof;
try {
	prof = Profile.decode(data);
} catch (e) {
	fail('pprof-format cannot decode it: ' + e.message);
}

const strings = prof.stringTable.strings;
if (!strings.length || strings[0] !== '')
	fail('string_table[0] is not ""');

// string index v, checked; what says whose it is
function str(v, what) {
	const i = Number(v);
	if (!(i >= 0 && i < strings.length))
		fail('string index ' + v + ' of ' + what + ' out of range (' +
		     strings.length + ' strings)');
	return strings[i];
}

// an id -> object map of list, ids checked
function byId(list, what) {
	const m = new Map();
	for (const x of list) {
		const id = Number(x.id);
		if (!id)
			fail(what + ' with id 0');
		if (m.has(id))
			fail('two ' + what + 's with id ' + id);
		m.set(id, x);
	}
	return m;
}

const types = prof.sampleType.map((t) => str(t.type, 'a sample type') + '/' +
				  str(t.unit, 'a sample type'));
if (!types.length)
	fail('no sample types');
const defaultType = str(prof.defaultSampleType, 'default_sample_type');
if (prof.periodType) {
	str(prof.periodType.type, 'period_type');
	str(prof.periodType.unit, 'period_type');
}
for (const c of prof.comment)
	str(c, 'a comment');

const mappings = byId(prof.mapping, 'mapping');
const functions = byId(prof.function, 'function');
const locations = byId(prof.location, 'location');
for (const f of prof.function) {
	str(f.name, 'function ' + f.id);
	str(f.systemName, 'function ' + f.id);
	str(f.filename, 'function ' + f.id);
}
for (const l of prof.location) {
	if (Number(l.mappingId) && !mappings.has(Number(l.mappingId)))
		fail('location ' + l.id + ' has mapping ' + l.mappingId +
		     ', which the profile does not have');
	for (const ln of l.line)
		if (!functions.has(Number(ln.functionId)))
			fail('location ' + l.id + ' has function ' + ln.functionId +
			     ', which the profile does not have');
}

// the type counted
let vi = types.length - 1;
const names = prof.sampleType.map((t) => strings[Number(t.type)]);
if (typeName !== null) {
	vi = names.indexOf(typeName);
	if (vi < 0)
		fail('no sample type ' + typeName + ' (it has ' + names.join(', ') + ')');
} else if (defaultType !== '' && names.includes(defaultType)) {
	vi = names.indexOf(defaultType);
}

// the folded name of a location's innermost frame
function leafName(l) {
	if (l.line.length) {
		const f = functions.get(Number(l.line[0].functionId));
		const name = strings[Number(f.name)];
		return name !== '' ? name : strings[Number(f.systemName)];
	}
	const m = mappings.get(Number(l.mappingId));
	if (!m)
		return '[unknown]';
	return '[' + path.posix.basename(strings[Number(m.filename)]) + ']';
}

const self = new Map();
let total = 0n;
let frameless = 0;
for (const [i, s] of prof.sample.entries()) {
	if (s.value.length !== types.length)
		fail('sample ' + i + ' has ' + s.value.length + ' values for ' +
		     types.length + ' sample types');
	for (const v of s.value)
		if (BigInt(v) < 0n)
			fail('sample ' + i + ' has the negative value ' + v);
	for (const id of s.locationId)
		if (!locations.has(Number(id)))
			fail('sample ' + i + ' has location ' + id +
			     ', which the profile does not have');
	for (const lab of s.label) {
		str(lab.key, 'a label of sample ' + i);
		str(lab.str, 'a label of sample ' + i);
	}
	const v = BigInt(s.value[vi]);
	total += v;
	if (!s.locationId.length) {
		frameless++;
		continue;
	}
	const name = leafName(locations.get(Number(s.locationId[0])));
	self.set(name, (self.get(name) || 0n) + v);
}

const hex = (v) => '0x' + BigInt(v).toString(16);
const out = [
	'sample_types: ' + types.join(' '),
	'default_sample_type: ' + (defaultType || '-'),
	'samples: ' + prof.sample.length,
	'total: ' + total,
];
if (frameless)
	out.push('samples without frames: ' + frameless);
for (const m of prof.mapping) {
	const bits = (m.hasFunctions ? '[FN]' : '') + (m.hasFilenames ? '[FL]' : '') +
		(m.hasLineNumbers ? '[LN]' : '') + (m.hasInlineFrames ? '[IN]' : '');
	out.push('mapping: ' + hex(m.memoryStart) + '/' + hex(m.memoryLimit) + '/' +
		 hex(m.fileOffset) + ' ' + str(m.filename, 'mapping ' + m.id) + ' ' +
		 str(m.buildId, 'mapping ' + m.id) + ' ' + bits);
}
console.log(out.join('\n'));
if (selfOut !== null) {
	let text = '';
	for (const [name, v] of self)
		if (v > 0n)
			text += name + '\t' + v + '\n';
	fs.writeFileSync(selfOut, text);
}
