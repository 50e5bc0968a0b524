import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, formatCsv } from '../../src/formats/csv.js';

describe('the CSV writer', () => {
  it('quotes only fields that need it and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(-0)).toBe('0');
    expect(csvField(1.5)).toBe('1.5');
  });
  it('round-trips awkward text through a standard parser', () => {
    const rows = [
      ['M1', 'Grid storage / standard: 41.2 kWh·yr, fade 2.10 %/yr', 3.25],
      ['M"2', 'line\r\nbreak, and "quotes"', null],
    ];
    const text = formatCsv(['serial', 'reason', 'value'], rows);
    expect(text.endsWith('\n')).toBe(true);
    const back = parse(text, { columns: true });
    expect(back).toEqual([
      { serial: 'M1', reason: rows[0]![1], value: '3.25' },
      { serial: 'M"2', reason: rows[1]![1], value: '' },
    ]);
  });
});
