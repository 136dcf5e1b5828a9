/**
 * The last step of `npm run build`: each command (`ct`, `butane`) as one bundle in `dist/bin/`, a
 * V8 code cache of it made by a representative run, and the bin that loads both. Finding, reading
 * and compiling some 70 modules was otherwise about half of a cold run (README, Performance).
 * Same sources and same Node, same bytes: esbuild is deterministic, and the cache is made with a
 * fixed `--random-seed` (it seeds V8's string hashes; V8 leaves it out of the cache's flag check).
 *
 * `node scripts/bundle-commands.js --code-cache <command>` is the child that makes one cache.
 */
'use strict';
const { Buffer } = require('node:buffer');
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { isBuiltin } = require('node:module');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin');
const PACKAGE = require('../package.json').name;

/** A typical small config of each kind, as the bench's: a user, a unit and a file. */
const UNIT = '[Unit]\nDescription=Hello\nAfter=network-online.target\n\n[Service]\nType=oneshot\nExecStart=/usr/bin/echo hello\n\n[Install]\nWantedBy=multi-user.target\n';
const indented = (text, spaces) => text.replace(/^(?=.)/gm, ' '.repeat(spaces));
const CLC = `passwd:\n  users:\n    - name: core\n      groups: [sudo, docker]\n      ssh_authorized_keys:\n        - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISample core@sample
systemd:\n  units:\n    - name: hello.service\n      enabled: true\n      contents: |\n${indented(UNIT, 8)}storage:\n  files:
    - path: /etc/hostname\n      filesystem: root\n      mode: 0644\n      contents:\n        inline: node-0\n`;
const BUTANE = `variant: flatcar\nversion: 1.1.0\n${CLC.replace('      filesystem: root\n', '')}`;

const COMMANDS = {
  ct: { entry: 'transpiler/cli.ts', sample: (exports) => exports.runCt(['--pretty'], Buffer.from(CLC), ROOT) },
  butane: { entry: 'transpiler/butane/cli.ts', sample: (exports) => exports.runButane(['--pretty'], Buffer.from(BUTANE), ROOT) },
};

/**
 * A bundle is a CommonJS module's function, as Node wraps one, written out (compiled as read, no
 * copy to wrap it). Its first line, line 0 for stack traces (`lineOffset: -1`), ends with the
 * bundle's id: command and SHA-256 of what follows.
 */
const wrapped = (id, code) => `(function (exports, require, module, __filename, __dirname) { // ${id}\n${code}\n})\n`;
/** The id as the bin reads it. */
const bundleId = (source) => source.slice(source.indexOf('// ') + 3, source.indexOf('\n'));

/**
 * A cache starts with the id of its bundle, the Node version, the architecture and the CRC-32 of
 * the cached data, padded to 256 bytes (V8 copies cached data that is not 8-byte aligned). V8
 * checks its own version, the flags and the lengths, but verifies the data's checksum only under
 * `--verify-snapshot-checksum`: fed damaged data of the right length, it crashes the process. So
 * the bin checks the CRC itself, with zlib's `crc32` (Node 20.15 and later; about 3 ms with its
 * module, where `node:crypto` took 6). It guards against damage, not tampering: whoever can
 * change the cache can change the bundle beside it.
 */
const CACHE_HEADER_BYTES = 256;
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** CRC-32 (IEEE, as zlib's): computed here so that a build on a Node without `zlib.crc32` still makes the same file. */
function crc32(data) {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (~crc >>> 0).toString(16).padStart(8, '0');
}
const cacheHeader = (id, data) => `${id} ${process.version} ${process.arch} ${crc32(data)}`.padEnd(CACHE_HEADER_BYTES);

/**
 * The name stack traces give the bundle, the same wherever it was built or installed: V8 keeps the
 * name the cache was made under (and the bin passes the same, for runs without the cache).
 */
const scriptName = (name) => `${PACKAGE}/dist/bin/${name}.bundle.js`;

const paths = (name) => ({ bundle: path.join(BIN, `${name}.bundle.js`), cache: path.join(BIN, `${name}.bundle.cache`), bin: path.join(BIN, `${name}.js`) });

/** Writes through a temporary file, so that an interrupted build leaves no half-written file. */
function writeAtomically(file, data, mode = 0o644) {
  writeFileSync(`${file}.tmp`, data, { mode });
  chmodSync(`${file}.tmp`, mode);
  renameSync(`${file}.tmp`, file);
}

function bundle(name) {
  const esbuild = require('esbuild');
  const result = esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: [COMMANDS[name].entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // names stay as written, and lines short (Node prints the line of an uncaught throw): readable crashes
    minifyWhitespace: true,
    minifySyntax: true,
    lineLimit: 120,
    legalComments: 'none',
    charset: 'ascii',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const external = Object.values(result.metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external && !isBuiltin(i.path)));
  if (external.length > 0) throw new Error(`${name}: the bundle would need ${external.map((i) => i.path).join(', ')} at run time`);
  // the entry's `#!` line would be a syntax error inside the function
  const code = result.outputFiles[0].text.replace(/^#!.*\n/, '');
  // the bin reads the bundle as latin1, exact only for ASCII
  if (Buffer.byteLength(code) !== code.length) throw new Error(`${name}: the bundle is not ASCII`);
  return wrapped(`${PACKAGE} ${name} ${sha256(code)}`, code);
}

function binSource(name) {
  const { bundle: file, cache } = paths(name);
  return `#!/usr/bin/env node
// The \`${name}\` command: ${path.basename(file)}, compiled with its V8 code cache when the cache
// was made for this very bundle by this Node and is undamaged, else afresh. Made by
// scripts/bundle-commands.js.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = join(__dirname, '${path.basename(file)}');

function codeCache(source) {
  let data;
  try {
    data = readFileSync(join(__dirname, '${path.basename(cache)}'));
  } catch {
    return undefined;
  }
  const id = source.slice(source.indexOf('// ') + 3, source.indexOf('\\n'));
  const expected = \`\${id} \${process.version} \${process.arch} \`;
  const header = data.toString('latin1', 0, ${CACHE_HEADER_BYTES}).trimEnd();
  if (!header.startsWith(expected)) return undefined;
  const cached = data.subarray(${CACHE_HEADER_BYTES});
  // V8 would crash on damaged data of the right length; Node before 20.15 has no crc32: no cache
  const { crc32 } = require('node:zlib');
  if (typeof crc32 !== 'function') return undefined;
  return header.slice(expected.length) === crc32(cached).toString(16).padStart(8, '0') ? cached : undefined;
}

const source = readFileSync(BUNDLE, 'latin1');
const script = new Script(source, { filename: '${scriptName(name)}', lineOffset: -1, cachedData: codeCache(source) });
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, require, bundle, BUNDLE, __dirname);
bundle.exports.main();
`;
}

/** In the child: compile the bundle as the bin does, run the sample, save what V8 compiled. */
function makeCodeCache(name) {
  const { bundle: file, cache } = paths(name);
  const { Script } = require('node:vm');
  const source = readFileSync(file, 'latin1');
  const script = new Script(source, { filename: scriptName(name), lineOffset: -1 });
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, require, bundle, file, BIN);
  const run = COMMANDS[name].sample(bundle.exports);
  if (run.exitCode !== 0) throw new Error(`${name}: the sample run failed: ${run.stderr}`);
  const data = script.createCachedData();
  const header = cacheHeader(bundleId(source), data);
  if (header.length !== CACHE_HEADER_BYTES) throw new Error(`${name}: the cache header is longer than ${CACHE_HEADER_BYTES} bytes`);
  writeAtomically(cache, Buffer.concat([Buffer.from(header, 'latin1'), data]));
}

function build() {
  mkdirSync(BIN, { recursive: true });
  for (const name of Object.keys(COMMANDS)) {
    const { bundle: file, bin } = paths(name);
    writeAtomically(file, bundle(name));
    const child = spawnSync(process.execPath, ['--random-seed=1', module.filename, '--code-cache', name], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`${name}: making the code cache failed (${child.status ?? child.signal})`);
    writeAtomically(bin, binSource(name), 0o755);
  }
}

const [mode, name] = process.argv.slice(2);
if (mode === '--code-cache') makeCodeCache(name);
else build();
