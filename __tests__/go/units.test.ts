import { parseBase2Bytes } from '../../transpiler/go/units';

describe('parseBase2Bytes (alecthomas/units)', () => {
  it.each([
    ['0', 0],
    ['-0', 0],
    ['+0', 0],
    ['1B', 1],
    ['1KiB', 1024],
    ['1KB', 1024],
    ['100MB', 100 * 1024 ** 2],
    ['100MiB', 100 * 1024 ** 2],
    ['1GiB512MiB', 1.5 * 1024 ** 3],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['.5KiB', 512],
    ['1000B', 1000],
    ['2TB', 2 * 1024 ** 4],
    ['1EiB', 1024 ** 6],
    ['-1GiB', -(1024 ** 3)],
    ['0.1KiB', 102],
  ])('parses %s', (input, bytes) => {
    expect(parseBase2Bytes(input)).toEqual({ bytes });
  });

  it.each([
    ['2048', 'units: unknown unit  in 2048'],
    ['10XB', 'units: unknown unit XB in 10XB'],
    ['1kB', 'units: unknown unit kB in 1kB'],
    // Mixed spellings fail both maps; the second (KB-style) attempt's error is reported.
    ['1GiB512MB', 'units: unknown unit GiB in 1GiB512MB'],
    ['', 'units: invalid '],
    ['-', 'units: invalid -'],
    ['MiB', 'units: invalid MiB'],
    ['.MiB', 'units: invalid .MiB'],
    ['1 MiB', 'units: unknown unit  MiB in 1 MiB'],
    ['99999999999999999999B', 'units: invalid 99999999999999999999B'],
    // The IEC attempt overflows, so the KB-style attempt's error wins...
    ['9000000EiB', 'units: unknown unit EiB in 9000000EiB'],
    // ...and with KB-style units the overflow itself is reported.
    ['9000000EB', 'units: overflow parsing unit'],
  ])('rejects %j', (input, error) => {
    expect(parseBase2Bytes(input)).toEqual({ error });
  });
});
