#!/usr/bin/env node
// Independent validator for otpbatch's 837P (005010X222A1) files, run by CI.
//
// It shares no code with the C++ writer: the file is parsed by a third-party X12 parser
// (node-x12, strict mode: ISA length, IEA/GE/SE counts and control numbers), and the parsed
// tree is then checked against the parts of the implementation guide otpbatch uses: envelope
// fixed widths and versions, loop order, the HL tree, claims (CLM02 = sum of SV102, POS 58,
// 1…50 lines, LX numbering), NPI check digits, MBI shape, dates and the character set.
//
// Usage: node validate.js FILE.837 [FILE.837 …]
// Exit 0 and "valid: N transaction sets, M claims, K lines" (one line per file, prefixed by
// the file name when several are given); exit 1 with "invalid: FILE: reason" otherwise;
// exit 2 on usage errors. Messages never print names, MBIs or birth dates.
'use strict';

const fs = require('fs');
const { X12Parser } = require('node-x12');

class Invalid extends Error {}

function fail(where, what) {
  throw new Invalid(where ? `${where}: ${what}` : what);
}

// ---- element helpers ------------------------------------------------------------------------

// Elements of a node-x12 segment as plain strings, 1-based (e[0] is the tag).
function elementsOf(seg) {
  return [seg.tag, ...seg.elements.map((el) => el.value)];
}

function isDate8(s) {
  if (!/^\d{8}$/.test(s)) return false;
  const y = +s.slice(0, 4), m = +s.slice(4, 6), d = +s.slice(6, 8);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

// X12 type R → integer cents; null when it is not a number of at most two decimals.
function cents(s) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s) || /^(-?)()\.(\d{1,2})$/.exec(s);
  if (!m) return null;
  const v = Number(m[2] || '0') * 100 + Number((m[3] || '').padEnd(2, '0'));
  return m[1] ? -v : v;
}

function money(c) {
  const sign = c < 0 ? '-' : '';
  c = Math.abs(c);
  return `${sign}${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

// NPI check digit: Luhn over "80840" + the first nine digits.
function validNpi(npi) {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = ('80840' + npi).split('').map(Number);
  let sum = 0;
  for (let i = digits.length - 1, k = 0; i >= 0; i--, k++) {
    let d = digits[i];
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// CMS MBI format: C A AN N A AN N A A N N (no S, L, O, I, B, Z).
function validMbi(mbi) {
  const A = '[AC-HJKMNP-RT-Y]', AN = '[AC-HJKMNP-RT-Y0-9]';
  return new RegExp(`^[1-9]${A}${AN}\\d${A}${AN}\\d${A}${A}\\d\\d$`).test(mbi);
}

// X12 basic and extended character sets (what a strict translator accepts in data).
const CHARSET = /^[A-Za-z0-9 !"&'()+,\-./;?=%@[\]_{}\\|<>#$]*$/;

// Maximum lengths (005010X222A1) of the elements otpbatch fills, by "TAGnn".
const MAX_LEN = {
  NM103: 60, NM104: 35, NM105: 25, NM109: 80, N301: 55, N302: 55, N401: 30, N402: 2, N403: 15,
  PER02: 60, PER04: 256, REF02: 50, CLM01: 38, CLM02: 18, SV102: 18, SV104: 15, PRV03: 50,
};

// ---- the checks -----------------------------------------------------------------------------

function checkIsa(isa, where) {
  const e = elementsOf(isa);
  const widths = [null, 2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];
  if (e.length !== 17) fail(where, `ISA has ${e.length - 1} elements, expected 16`);
  // node-x12 turns ISA13 into a number; its width is checked on the raw text instead.
  for (let i = 1; i <= 16; i++) {
    if (i !== 13 && e[i].length !== widths[i]) fail(where, `ISA${String(i).padStart(2, '0')} must be ${widths[i]} characters`);
  }
  if (e[12] !== '00501') fail(where, 'ISA12 must be 00501');
  if (!['T', 'P'].includes(e[15])) fail(where, 'ISA15 must be T or P');
  if (!/^\d{6}$/.test(e[9]) || !isDate8('20' + e[9])) fail(where, 'ISA09 is not a YYMMDD date');
  if (!/^([01]\d|2[0-3])[0-5]\d$/.test(e[10])) fail(where, 'ISA10 is not an HHMM time');
}

// Checks one 837P transaction set (its segments between ST and SE) and counts claims and lines.
function checkTransaction(tx, where) {
  const st = elementsOf(tx.header);
  if (st[1] !== '837') fail(where, `ST01 is ${st[1]}, expected 837`);
  if (st[3] !== '005010X222A1') fail(where, 'ST03 must be 005010X222A1');
  const segs = tx.segments.map(elementsOf);
  let i = 0;
  const at = () => `${where} segment ${i + 4}`;  // ISA, GS, ST come before segments[0]
  const peek = () => (i < segs.length ? segs[i] : [null]);
  const take = (tag, q, label) => {
    const s = peek();
    if (s[0] !== tag || (q !== undefined && s[1] !== q)) {
      fail(at(), `expected ${label || tag + (q ? '*' + q : '')}, found ${s[0] || 'end of transaction'}`);
    }
    i++;
    return s;
  };
  const optional = (tag, q) => {
    const s = peek();
    if (s[0] === tag && (q === undefined || s[1] === q)) { i++; return s; }
    return null;
  };

  // Every segment: no empty trailing element, allowed characters, maximum lengths.
  segs.forEach((s, k) => {
    const w = `${where} segment ${k + 4} (${s[0]})`;
    if (s.length > 1 && s[s.length - 1] === '') fail(w, 'ends with an empty element');
    s.forEach((v, n) => {
      if (n > 0 && !CHARSET.test(v.replace(/:/g, ''))) fail(w, `element ${n} has characters outside the X12 character set`);
      const key = `${s[0]}${String(n).padStart(2, '0')}`;
      if (MAX_LEN[key] && v.length > MAX_LEN[key]) fail(w, `${key} is longer than ${MAX_LEN[key]}`);
    });
  });

  const bht = take('BHT');
  if (bht[1] !== '0019' || bht[2] !== '00' || bht[6] !== 'CH' || !isDate8(bht[4] || '')) {
    fail(at(), 'BHT must be BHT*0019*00*ref*CCYYMMDD*time*CH');
  }
  // 1000A submitter, 1000B receiver.
  const sub = take('NM1', '41', '1000A NM1*41');
  if (sub[8] !== '46' || !sub[9]) fail(at(), '1000A NM108 must be 46 with an id');
  const per = take('PER', 'IC', '1000A PER*IC');
  if (!['TE', 'EM', 'FX'].includes(per[3]) || !per[4]) fail(at(), '1000A PER needs a contact number');
  while (optional('PER', 'IC'));
  const rcv = take('NM1', '40', '1000B NM1*40');
  if (rcv[8] !== '46' || !rcv[9]) fail(at(), '1000B NM108 must be 46 with an id');

  const hlLevels = new Map();
  let claims = 0, lines = 0, billingHl = null;
  const takeHl = (level) => {
    const hl = take('HL', undefined, `HL (level ${level})`);
    const id = Number(hl[1]);
    if (String(id) !== hl[1] || id !== hlLevels.size + 1) fail(at(), `HL01 ${hl[1]} is out of sequence`);
    if (hl[3] !== level) fail(at(), `HL03 is ${hl[3]}, expected ${level}`);
    if (level === '20' && hl[2]) fail(at(), 'the billing provider HL has no parent');
    if (level === '22' && hlLevels.get(Number(hl[2])) !== '20') fail(at(), 'a subscriber HL must point to a billing provider HL');
    hlLevels.set(id, level);
    return hl;
  };
  const npiOf = (nm1, label) => {
    if (nm1[8] !== 'XX' || !validNpi(nm1[9] || '')) fail(at(), `${label} NPI fails its check digit`);
  };
  const addressOf = (label, nineDigits) => {
    take('N3', undefined, `${label} N3`);
    const n4 = take('N4', undefined, `${label} N4`);
    if (!n4[1] || !/^[A-Z]{2}$/.test(n4[2] || '')) fail(at(), `${label} N4 needs a city and state`);
    const zip = n4[3] || '';
    if (nineDigits ? !/^\d{9}$/.test(zip) : !/^(\d{5}|\d{9})$/.test(zip)) fail(at(), `${label} ZIP must have ${nineDigits ? '9' : '5 or 9'} digits`);
  };

  while (peek()[0] === 'HL' && peek()[3] === '20') {
    // 2000A billing provider.
    const hl20 = takeHl('20');
    billingHl = hl20;
    optional('PRV', 'BI');
    optional('CUR');
    const nm85 = take('NM1', '85', '2010AA NM1*85');
    npiOf(nm85, '2010AA');
    addressOf('2010AA', true);
    const ref = take('REF', undefined, '2010AA REF');
    if (!['EI', 'SY'].includes(ref[1]) || !/^\d{9}$/.test(ref[2] || '')) fail(at(), '2010AA needs REF*EI with a 9-digit TIN');
    let subscribers = 0;
    while (peek()[0] === 'HL' && peek()[3] === '22') {
      // 2000B subscriber (the patient: no 2000C).
      const hl22 = takeHl('22');
      subscribers++;
      if (hl22[4] !== '0') fail(at(), 'HL04 must be 0: the subscriber is the patient');
      const sbr = take('SBR');
      if (sbr[1] !== 'P' || sbr[2] !== '18' || sbr[9] !== 'MB') fail(at(), 'SBR must be SBR*P*18…*MB for Medicare Part B');
      const il = take('NM1', 'IL', '2010BA NM1*IL');
      if (il[2] !== '1' || !il[3] || il[8] !== 'MI' || !validMbi(il[9] || '')) fail(at(), '2010BA needs a person name and an MBI');
      addressOf('2010BA', false);
      const dmg = take('DMG', undefined, '2010BA DMG');
      if (dmg[1] !== 'D8' || !isDate8(dmg[2] || '') || !['M', 'F', 'U'].includes(dmg[3])) fail(at(), 'DMG must be D8, a real date and M/F/U');
      const pr = take('NM1', 'PR', '2010BB NM1*PR');
      if (pr[8] !== 'PI' || !pr[9]) fail(at(), '2010BB needs a payer id (PI)');
      let subscriberClaims = 0;
      while (peek()[0] === 'CLM') {
        // 2300 claim.
        const clm = take('CLM');
        claims++;
        subscriberClaims++;
        const total = cents(clm[2] || '');
        if (!clm[1] || total === null) fail(at(), 'CLM01 and CLM02 are required; CLM02 must be an amount');
        const pos = (clm[5] || '').split(':');
        if (pos.length !== 3 || pos[0] !== '58' || pos[1] !== 'B' || pos[2] !== '1') fail(at(), 'CLM05 must be 58:B:1');
        if (clm[6] !== 'Y' || !['A', 'B', 'C'].includes(clm[7]) || !['Y', 'N', 'W'].includes(clm[8]) || !['I', 'Y'].includes(clm[9])) {
          fail(at(), 'CLM06…CLM09 have invalid codes');
        }
        const hi = take('HI', undefined, '2300 HI');
        if (!/^ABK:F11[0-9A-Z]{0,4}$/.test(hi[1] || '')) fail(at(), 'HI01 must be ABK: with an F11 code without the dot');
        const r2310b = optional('NM1', '82');
        if (r2310b) npiOf(r2310b, '2310B');
        let lx = 0, sum = 0;
        while (peek()[0] === 'LX') {
          // 2400 service line.
          const l = take('LX');
          lx++;
          lines++;
          if (l[1] !== String(lx)) fail(at(), `LX01 is ${l[1]}, expected ${lx}`);
          const sv1 = take('SV1', undefined, '2400 SV1');
          const proc = (sv1[1] || '').split(':');
          if (proc[0] !== 'HC' || !/^[A-Z0-9]{5}$/.test(proc[1] || '') || proc.length > 6 || proc.slice(2).some((m) => !/^[A-Z0-9]{2}$/.test(m))) {
            fail(at(), 'SV101 must be HC:code with up to 4 two-character modifiers');
          }
          const charge = cents(sv1[2] || '');
          if (charge === null || charge < 0) fail(at(), 'SV102 must be an amount');
          sum += charge;
          if (sv1[3] !== 'UN' || !/^[1-9]\d*$/.test(sv1[4] || '')) fail(at(), 'SV103/SV104 must be UN and a positive unit count');
          if (sv1[7] !== '1') fail(at(), 'SV107 must point to diagnosis 1');
          const dtp = take('DTP', '472', '2400 DTP*472');
          if (dtp[2] !== 'D8' || !isDate8(dtp[3] || '')) fail(at(), 'DTP*472 must be D8 with a real date');
          const r2420a = optional('NM1', '82');
          if (r2420a) npiOf(r2420a, '2420A');
        }
        if (lx === 0 || lx > 50) fail(at(), `a claim must have 1 to 50 service lines, found ${lx}`);
        if (sum !== total) fail(at(), `CLM02 is ${money(total)} but the service lines add up to ${money(sum)}`);
      }
      if (subscriberClaims === 0) fail(at(), 'a subscriber loop without claims');
    }
    if (subscribers === 0) fail(at(), 'a billing provider loop without subscribers');
  }
  if (!billingHl) fail(at(), 'no billing provider HL (level 20)');
  if (i !== segs.length) fail(at(), `unexpected ${segs[i][0]} segment`);
  return { claims, lines };
}

// Validates the text of one file; returns counts or throws Invalid.
function validate(text) {
  if (text.charCodeAt(0) === 0xfeff) fail('', 'the file starts with a byte-order mark');
  if (!text.startsWith('ISA')) fail('', 'the file does not start with ISA');
  if (/[^\x20-\x7e\r\n]/.test(text)) fail('', 'the file has characters outside printable ASCII');
  const raw13 = text.slice(90, 99);
  if (!/^\d{9}$/.test(raw13)) fail('ISA', 'ISA13 must be 9 digits');
  let parsed;
  try {
    parsed = new X12Parser(true).parse(text);
  } catch (err) {
    fail('', `the strict X12 parser rejected the file: ${err.message}`);
  }
  const interchanges = parsed.interchanges || [parsed];
  if (interchanges.length !== 1) fail('', `expected one interchange, found ${interchanges.length}`);
  const ic = interchanges[0];
  if (!ic.header || !ic.trailer) fail('', 'the interchange has no ISA or IEA');
  checkIsa(ic.header, 'ISA');
  const iea = elementsOf(ic.trailer);
  if (Number(iea[2]) !== Number(raw13) || !text.trimEnd().endsWith(`IEA*${iea[1]}*${raw13}~`)) fail('IEA', 'IEA02 must repeat ISA13 with its 9 digits');
  if (Number(iea[1]) !== ic.functionalGroups.length) fail('IEA', 'IEA01 does not count the functional groups');
  let sets = 0, claims = 0, lines = 0;
  ic.functionalGroups.forEach((g, gi) => {
    const where = `group ${gi + 1}`;
    if (!g.header || !g.trailer) fail(where, 'missing GS or GE');
    const gs = elementsOf(g.header);
    const ge = elementsOf(g.trailer);
    if (gs[1] !== 'HC' || gs[7] !== 'X' || gs[8] !== '005010X222A1') fail(where, 'GS must be HC … X*005010X222A1');
    if (!isDate8(gs[4] || '') || !/^\d{4}$/.test(gs[5] || '')) fail(where, 'GS04/GS05 must be CCYYMMDD and HHMM');
    if (!/^\d{1,9}$/.test(gs[6] || '') || ge[2] !== gs[6]) fail(where, 'GE02 must repeat GS06 (1 to 9 digits)');
    if (Number(ge[1]) !== g.transactions.length) fail(where, 'GE01 does not count the transaction sets');
    const seen = new Set();
    g.transactions.forEach((tx, ti) => {
      const w = `${where} transaction ${ti + 1}`;
      if (!tx.header || !tx.trailer) fail(w, 'missing ST or SE');
      const st = elementsOf(tx.header), se = elementsOf(tx.trailer);
      if (se[2] !== st[2] || seen.has(st[2])) fail(w, 'ST02/SE02 must match and be unique in the group');
      seen.add(st[2]);
      if (Number(se[1]) !== tx.segments.length + 2) fail(w, `SE01 is ${se[1]} but the set has ${tx.segments.length + 2} segments`);
      const r = checkTransaction(tx, w);
      sets++;
      claims += r.claims;
      lines += r.lines;
    });
  });
  if (sets === 0) fail('', 'no transaction sets');
  return { sets, claims, lines };
}

function main(argv) {
  const files = argv.slice(2);
  if (files.length === 0 || files.includes('--help')) {
    process.stderr.write('usage: node validate.js FILE.837 [FILE.837 …]\n');
    return 2;
  }
  let bad = 0;
  for (const file of files) {
    const prefix = files.length > 1 ? `${file}: ` : '';
    try {
      const r = validate(fs.readFileSync(file, 'latin1'));
      process.stdout.write(`${prefix}valid: ${r.sets} transaction sets, ${r.claims} claims, ${r.lines} lines\n`);
    } catch (err) {
      if (!(err instanceof Invalid) && err.code !== 'ENOENT') throw err;
      process.stderr.write(`invalid: ${file}: ${err.message}\n`);
      bad++;
    }
  }
  return bad ? 1 : 0;
}

module.exports = { validate, validNpi, validMbi, Invalid };

if (require.main === module) process.exitCode = main(process.argv);
