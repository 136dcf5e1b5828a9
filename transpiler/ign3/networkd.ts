/** `networkd.units` become plain files under /etc/systemd/network (Flatcar only, docs/ignition-2to3.md §4.4). */
import type { GoStruct } from '../schema';
import { goPathJoin } from '../sections/gopath';

const list = (v: unknown): GoStruct[] => (Array.isArray(v) ? (v as GoStruct[]) : []);

/** Bytes Go's `url.PathEscape` keeps: unreserved characters plus `$&+:=@` (not ct's data-URL escaper). */
const PATH_SEGMENT_SAFE = /[A-Za-z0-9\-_.~$&+:=@]/;

/** Go `url.PathEscape`: every other UTF-8 byte as upper-case `%XX`. */
export function goPathEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && PATH_SEGMENT_SAFE.test(c) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function networkdFile(path: string, text: string): GoStruct {
  return {
    group: {},
    overwrite: true,
    path,
    user: {},
    append: null,
    contents: { httpHeaders: null, source: 'data:,' + goPathEscape(text), verification: {} },
    mode: 0o644,
  };
}

/** The unit file only when it has contents; every drop-in, even an empty one. */
export function translateNetworkd(units: readonly GoStruct[]): GoStruct[] {
  const files: GoStruct[] = [];
  for (const unit of units) {
    const name = unit.name as string;
    if (unit.contents !== '') files.push(networkdFile(goPathJoin('/', '/etc/systemd/network', name), unit.contents as string));
    for (const dropin of list(unit.dropins)) {
      files.push(networkdFile(goPathJoin('/', '/etc/systemd/network', name + '.d', dropin.name as string), dropin.contents as string));
    }
  }
  return files;
}
