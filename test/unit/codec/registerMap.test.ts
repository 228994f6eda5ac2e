import assert from 'node:assert/strict';
import { Tag } from '../../../gateway/api/config';
import { exportRegisterMap, guessColumns, parseRegisterMap, splitRows } from '../../../gateway/api/codec/registerMap';

describe('register map import and export', () => {
  it('guesses columns from the words vendors use, in any order', () => {
    assert.deepEqual(guessColumns(['Register', 'Tag Name', 'Data Type', 'Word order', 'Multiplier', 'Units', 'R/W']), {
      address: 0,
      name: 1,
      type: 2,
      order: 3,
      scale: 4,
      unit: 5,
      access: 6,
    });
  });

  it('reads a vendor TSV with Modicon numbers, bare offsets, vendor type words and decimal commas', () => {
    const text = 'Name\tRegister\tData type\tWord order\tScale\tUnit\tAccess\n' + 'Voltage L1\t40101\tREAL\tword swap\t1\tV\tR\n' + 'Frequency\t7\tINT\t\t0,01\tHz\tR\n' + 'Run\tCO:4\tbit\t\t\t\tRW\n';
    const parsed = parseRegisterMap(text);
    assert.equal(parsed.delimiter, '\t');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.tags.map((t) => t.tag),
      [
        { name: 'Voltage L1', address: '40101', type: 'float32', order: 'CDAB', unit: 'V' },
        { name: 'Frequency', address: 'HR:7', type: 'int16', scale: 0.01, unit: 'Hz' },
        { name: 'Run', address: 'CO:4', type: 'bool' },
      ],
    );
    assert.equal(parsed.tags[0].access, 'R');
  });

  it('names every row that cannot become a tag, and why, keeping the rest', () => {
    const text = [
      'name,address,type,order',
      'ok,HR:0,uint16,ABCD',
      'bad address,HR:99999,uint16,',
      'bad type,HR:2,quaternion,',
      'ok,HR:3,int16,',
      ',HR:4,int16,',
      'bad order,HR:5,float32,ZYXW',
      '"quoted, name",HR:6,int16,',
    ].join('\r\n');
    const parsed = parseRegisterMap(text);
    assert.deepEqual(parsed.tags.map((t) => t.tag.name), ['ok', 'quoted name']);
    assert.deepEqual(
      parsed.problems.map((p) => [p.line, p.name]),
      [
        [3, 'bad address'],
        [4, 'bad type'],
        [5, 'ok'],
        [6, undefined],
        [7, 'bad order'],
      ],
    );
    assert.match(parsed.problems[0].reason, /beyond 65535/);
    assert.match(parsed.problems[1].reason, /unknown type "quaternion"/);
    assert.match(parsed.problems[2].reason, /already used on line 2/);
    assert.match(parsed.problems[4].reason, /unknown word order "ZYXW"/);
  });

  it('refuses a file without a name or address column, saying which', () => {
    const parsed = parseRegisterMap('foo;bar\n1;2\n');
    assert.equal(parsed.tags.length, 0);
    assert.match(parsed.problems[0].reason, /no name and address column/);
  });

  it('takes chosen columns over guessed ones, and names already on the device are problems', () => {
    const parsed = parseRegisterMap('a,b\nflow,HR:1\nlevel,HR:2\n', { columns: { name: 0, address: 1 }, takenNames: ['level'] });
    assert.deepEqual(parsed.tags.map((t) => t.tag.name), ['flow']);
    assert.match(parsed.problems[0].reason, /already on the device/);
  });

  it('exports tags that import back to the same tags', () => {
    const tags = [
      Tag.parse({ name: 'flow total', address: 'HR:100', type: 'float32', order: 'CDAB', unit: 'm³/h', description: 'totaliser, "net"' }),
      Tag.parse({ name: 'temperature', address: '30001', type: 'int16', scale: 0.1, unit: '°C' }),
      Tag.parse({ name: 'model', address: 'HR:200', type: 'string', length: 8 }),
    ];
    for (const delimiter of [',', '\t'] as const) {
      const text = exportRegisterMap(tags, delimiter);
      const back = parseRegisterMap(text);
      assert.deepEqual(back.problems, []);
      assert.deepEqual(back.tags.map((t) => Tag.parse(t.tag)), tags);
      assert.deepEqual(back.tags.map((t) => t.access), ['RW', 'R', 'RW']);
    }
    assert.equal(splitRows(exportRegisterMap(tags), ',')[1][8], 'totaliser, "net"');
  });
});
