#!/usr/bin/env node
// Proves the validator can fail: the golden 837P must pass, and each deliberately broken copy
// of it must be rejected for the stated reason. Run with `npm test --prefix scripts/x12-validate`.
'use strict';

const fs = require('fs');
const path = require('path');
const { validate, validNpi, validMbi, Invalid } = require('./validate');

const golden = path.join(__dirname, '..', '..', 'tests', 'output', 'golden', 'basic.837');
const text = fs.readFileSync(golden, 'latin1');

let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; } else { failed++; process.stderr.write(`FAIL ${name}${detail ? ': ' + detail : ''}\n`); }
}

function replaceOnce(s, from, to) {
  const k = s.indexOf(from);
  if (k < 0) throw new Error(`self-test setup: "${from}" not in the golden file`);
  return s.slice(0, k) + to + s.slice(k + from.length);
}

function expectRejected(name, broken, words) {
  try {
    validate(broken);
    check(name, false, 'accepted');
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    check(name, err.message.includes(words), `message "${err.message}" lacks "${words}"`);
  }
}

// The golden file is valid.
try {
  const r = validate(text);
  check('golden is valid', r.sets === 1 && r.claims === 3 && r.lines === 7, JSON.stringify(r));
} catch (err) {
  check('golden is valid', false, err.message);
}

const se = /SE\*(\d+)\*0001~/.exec(text);
expectRejected('wrong SE count', text.replace(se[0], `SE*${Number(se[1]) + 1}*0001~`), 'SE01');
expectRejected('SE02 differs from ST02', text.replace(se[0], `SE*${se[1]}*0002~`), 'SE02');
expectRejected('IEA02 differs from ISA13', replaceOnce(text, 'IEA*1*000000042', 'IEA*1*000000043'), 'IEA02');
expectRejected('GE02 differs from GS06', replaceOnce(text, 'GE*1*7~', 'GE*1*8~'), 'GE02');
expectRejected('short ISA', replaceOnce(text, 'SUB12345       *', 'SUB12345      *'), 'ISA');
expectRejected('claim total', replaceOnce(text, '*949.05***', '*949.06***'), 'CLM02 is 949.06');
expectRejected('LX gap', replaceOnce(text, 'LX*2~', 'LX*3~'), 'LX01 is 3');
expectRejected('HL parent', replaceOnce(text, 'HL*3*1*22*0', 'HL*3*2*22*0'), 'billing provider HL');
expectRejected('bad NPI check digit', replaceOnce(text, 'XX*1987654328', 'XX*1987654329'), 'NPI');
expectRejected('SBR09 not MB', replaceOnce(text, '*******MB~', '*******CI~'), 'SBR');
expectRejected('POS not 58', replaceOnce(text, '58:B:1', '11:B:1'), 'CLM05');
expectRejected('trailing delimiter', replaceOnce(text, 'REF*EI*123456789~', 'REF*EI*123456789*~'), 'empty element');
expectRejected('unreal date', replaceOnce(text, 'DTP*472*D8*20260105', 'DTP*472*D8*20260231'), 'DTP*472');
expectRejected('missing DTP (SE count kept right)',
  replaceOnce(text, 'DTP*472*D8*20260112~\n', '').replace(se[0], `SE*${Number(se[1]) - 1}*0001~`), 'DTP*472');
expectRejected('truncated', text.slice(0, text.indexOf('GE*')), 'IEA');

check('NPI check digit', validNpi('1234567893') && !validNpi('1234567890'));
check('MBI format', validMbi('1EG4TE5MK73') && !validMbi('1EG4TE5MK7S') && !validMbi('0EG4TE5MK73'));

process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
