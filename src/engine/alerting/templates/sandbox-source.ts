/**
 * The JavaScript that runs INSIDE the QuickJS sandbox: nunjucks' browser bundle, then a prelude
 * that builds the Environment with OnCall's globals and filters, a bounded cache of compiled
 * templates, and two entry points the host calls. Everything here runs on untrusted values, so it
 * is plain source text evaluated in the sandbox, never a host function: the host only ever passes
 * strings and numbers in and reads a string back.
 *
 * After setup every object reachable from the sandbox's global object is frozen, so one template
 * cannot change what a later template sees (replace a filter, patch `Object.prototype`, poison the
 * cache). Per-render state (the payload, `now`, the time-zone tables) lives in closure variables
 * that only the entry points assign.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Compiled templates kept per sandbox: by count, and by total source length. */
export const CACHE_TEMPLATES = 256;
export const CACHE_SOURCE_CHARS = 1_000_000;
export const MAX_RANGE = 10_000;
export const MAX_RESULT = 50_000;

/** The prelude evaluates to `[prepare, render]`; see the bottom of the source. */
const PRELUDE = String.raw`
(function () {
  'use strict';
  var N = globalThis.nunjucks;
  var MAX_RANGE = ${MAX_RANGE};
  var MAX_RESULT = ${MAX_RESULT};
  var CACHE_TEMPLATES = ${CACHE_TEMPLATES};
  var CACHE_SOURCE_CHARS = ${CACHE_SOURCE_CHARS};
  var now = 0;
  var zones = {};

  // ---- datetimes: what Python's datetime shows in OnCall templates -------------------------
  // ms: the instant; offset: minutes east of UTC, or null for a naive datetime; abbr: %Z.
  function DateTime(ms, offset, abbr) {
    this.ms = ms;
    this.offset = offset;
    this.abbr = abbr;
  }
  function pad(n, width) {
    var s = String(Math.abs(n));
    while (s.length < width) s = '0' + s;
    return (n < 0 ? '-' : '') + s;
  }
  function offsetText(minutes, colon) {
    var sign = minutes < 0 ? '-' : '+';
    var m = Math.abs(minutes);
    return sign + pad(Math.floor(m / 60), 2) + (colon ? ':' : '') + pad(m % 60, 2);
  }
  function fieldsOf(dt) {
    var d = new Date(dt.ms + (dt.offset || 0) * 60000);
    return {
      Y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), H: d.getUTCHours(),
      M: d.getUTCMinutes(), S: d.getUTCSeconds(), ms: d.getUTCMilliseconds(), w: d.getUTCDay(),
      start: Date.UTC(d.getUTCFullYear(), 0, 1), day: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()),
    };
  }
  DateTime.prototype.toString = function () {
    var f = fieldsOf(this);
    var text = pad(f.Y, 4) + '-' + pad(f.m, 2) + '-' + pad(f.d, 2) + ' ' + pad(f.H, 2) + ':' + pad(f.M, 2) + ':' + pad(f.S, 2);
    if (f.ms) text += '.' + pad(f.ms * 1000, 6);
    return this.offset === null ? text : text + offsetText(this.offset, true);
  };
  var DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];
  // strftime as glibc does it for the C locale; an unknown directive is kept as written.
  function strftime(dt, format) {
    var f = fieldsOf(dt);
    var out = '';
    for (var i = 0; i < format.length; i++) {
      var ch = format[i];
      if (ch !== '%' || i + 1 >= format.length) { out += ch; continue; }
      var code = format[++i];
      switch (code) {
        case 'Y': out += pad(f.Y, 4); break;
        case 'y': out += pad(f.Y % 100, 2); break;
        case 'm': out += pad(f.m, 2); break;
        case 'd': out += pad(f.d, 2); break;
        case 'e': out += (f.d < 10 ? ' ' : '') + f.d; break;
        case 'H': out += pad(f.H, 2); break;
        case 'I': out += pad(f.H % 12 || 12, 2); break;
        case 'p': out += f.H < 12 ? 'AM' : 'PM'; break;
        case 'M': out += pad(f.M, 2); break;
        case 'S': out += pad(f.S, 2); break;
        case 'f': out += pad(f.ms * 1000, 6); break;
        case 'a': out += DAYS[f.w].slice(0, 3); break;
        case 'A': out += DAYS[f.w]; break;
        case 'b': case 'h': out += MONTHS[f.m - 1].slice(0, 3); break;
        case 'B': out += MONTHS[f.m - 1]; break;
        case 'j': out += pad(Math.round((f.day - f.start) / 86400000) + 1, 3); break;
        case 'w': out += f.w; break;
        case 'u': out += f.w || 7; break;
        case 'z': out += dt.offset === null ? '' : offsetText(dt.offset, false); break;
        case 'Z': out += dt.offset === null ? '' : dt.abbr; break;
        case 's': out += Math.floor(dt.ms / 1000); break;
        case 'F': out += pad(f.Y, 4) + '-' + pad(f.m, 2) + '-' + pad(f.d, 2); break;
        case 'T': out += pad(f.H, 2) + ':' + pad(f.M, 2) + ':' + pad(f.S, 2); break;
        case '%': out += '%'; break;
        default: out += '%' + code;
      }
    }
    return out;
  }
  var ISO = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
  function parseIso(value) {
    var m = ISO.exec(String(value).trim());
    if (!m) return null;
    var ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0),
      m[7] ? Math.floor(+(m[7] + '00').slice(0, 3)) : 0);
    if (isNaN(ms) || +m[2] < 1 || +m[2] > 12 || +m[3] < 1 || +m[3] > 31 || +(m[4] || 0) > 23 || +(m[5] || 0) > 59) return null;
    if (!m[8]) return new DateTime(ms, null, '');
    if (m[8].toUpperCase() === 'Z') return new DateTime(ms, 0, 'UTC');
    var digits = m[8].replace(':', '');
    var offset = (digits[0] === '-' ? -1 : 1) * (+digits.slice(1, 3) * 60 + +(digits.slice(3, 5) || 0));
    return new DateTime(ms - offset * 60000, offset, '');
  }
  // zones[name] = [[fromMs, offsetMinutes, abbreviation], ...] ascending, made by the host.
  function inZone(dt, tz) {
    if (tz === 'UTC' || tz === 'Etc/UTC') return new DateTime(dt.ms, 0, 'UTC');
    var table = Object.prototype.hasOwnProperty.call(zones, tz) ? zones[tz] : null;
    if (!table || !table.length) return null;
    var lo = 0, hi = table.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (table[mid][0] <= dt.ms) lo = mid; else hi = mid - 1;
    }
    return new DateTime(dt.ms, table[lo][1], table[lo][2]);
  }

  // ---- JSON as Python's json.dumps writes it -------------------------------------------------
  var SHORT = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
  function quote(s, asciiOnly) {
    var out = '"';
    for (var i = 0; i < s.length; i++) {
      var ch = s[i], code = s.charCodeAt(i);
      if (SHORT[ch]) out += SHORT[ch];
      else if (code < 0x20 || (asciiOnly && code > 0x7e)) out += '\\u' + ('0000' + code.toString(16)).slice(-4);
      else out += ch;
    }
    return out + '"';
  }
  function Unserializable() {}
  // opts: sortKeys, indent (number or null), asciiOnly. Recursion is plain JavaScript, so deep
  // values stop at the sandbox's stack limit.
  function dumps(value, opts, level) {
    if (value === null || value === undefined) return 'null';
    if (value === true) return 'true';
    if (value === false) return 'false';
    if (typeof value === 'number') {
      if (value !== value) return 'NaN';
      if (!isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
      return String(value);
    }
    if (typeof value === 'string') return quote(value, opts.asciiOnly);
    if (typeof value !== 'object' || value instanceof DateTime) throw new Unserializable();
    var inner = opts.indent === null ? '' : '\n' + ' '.repeat(opts.indent * (level + 1));
    var outer = opts.indent === null ? '' : '\n' + ' '.repeat(opts.indent * level);
    var sep = opts.indent === null ? ', ' : ',';
    var parts = [];
    if (Array.isArray(value)) {
      for (var i = 0; i < value.length; i++) parts.push(dumps(value[i], opts, level + 1));
      return parts.length ? '[' + inner + parts.join(sep + inner) + outer + ']' : '[]';
    }
    var keys = Object.keys(value);
    if (opts.sortKeys) keys.sort();
    for (var k = 0; k < keys.length; k++) parts.push(quote(keys[k], opts.asciiOnly) + ': ' + dumps(value[keys[k]], opts, level + 1));
    return parts.length ? '{' + inner + parts.join(sep + inner) + outer + '}' : '{}';
  }

  // ---- regular expressions: Python's spellings on the sandbox's own RegExp -------------------
  function pythonRegex(pattern, extraFlags) {
    var source = String(pattern), flags = extraFlags, m;
    while ((m = /^\(\?([aiLmsux]+)\)/.exec(source))) {
      for (var i = 0; i < m[1].length; i++) if ('ims'.indexOf(m[1][i]) >= 0 && flags.indexOf(m[1][i]) < 0) flags += m[1][i];
      source = source.slice(m[0].length);
    }
    source = source.replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
      .replace(/(^|[^\\])\\A/g, '$1^').replace(/(^|[^\\])\\Z/g, '$1$');
    return new RegExp(source, flags);
  }
  // re.sub's replacement: \1, \g<1>, \g<name> and escapes; a literal $ must not mean anything.
  function pythonReplacement(replace) {
    return String(replace).replace(/\$/g, '$$$$').replace(/\\g<(\w+)>|\\(\d{1,2})|\\(.)/g, function (_, g, d, c) {
      if (g !== undefined) return /^\d+$/.test(g) ? '$' + g : '$<' + g + '>';
      if (d !== undefined) return '$' + d;
      return c === 'n' ? '\n' : c === 't' ? '\t' : c === '\\' ? '\\' : '\\' + c;
    });
  }

  // ---- base64 to UTF-8 text, strictly (Python raises on bad padding or bad UTF-8) ------------
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function b64decode(value) {
    var s = String(value).replace(/[^A-Za-z0-9+/=]/g, '');
    var body = s.replace(/=+$/, '');
    if (body.indexOf('=') >= 0 || s.length % 4 !== 0) throw new Error('padding');
    var bytes = [], bits = 0, acc = 0;
    for (var i = 0; i < body.length; i++) {
      acc = (acc << 6) | B64.indexOf(body[i]);
      bits += 6;
      if (bits >= 8) { bits -= 8; bytes.push((acc >> bits) & 0xff); }
    }
    var out = '';
    for (var j = 0; j < bytes.length;) {
      var b = bytes[j], need = b < 0x80 ? 0 : b >= 0xf0 && b < 0xf5 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
      if (need < 0 || j + need >= bytes.length + (need ? 0 : 1)) throw new Error('utf-8');
      var cp = need ? b & (0x3f >> need) : b;
      for (var n = 1; n <= need; n++) {
        if ((bytes[j + n] & 0xc0) !== 0x80) throw new Error('utf-8');
        cp = (cp << 6) | (bytes[j + n] & 0x3f);
      }
      if ((need === 2 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff))) throw new Error('utf-8');
      out += String.fromCodePoint(cp);
      j += need + 1;
    }
    return out;
  }

  // ---- the Environment -------------------------------------------------------------------------
  var env = new N.Environment(null, { autoescape: false, throwOnUndefined: false });
  // OnCall's filters return None instead of raising; None renders as nothing.
  function lenient(fn) {
    return function () {
      try { return fn.apply(null, arguments); } catch (e) {
        // the memory or stack limit is not a value error: let it end the render
        if (typeof InternalError === 'function' && e instanceof InternalError) throw e;
        return null;
      }
    };
  }
  var DEFAULT_FORMAT = '%H:%M / %d-%m-%Y';
  var filters = {
    datetimeformat: function (value, format) {
      return value instanceof DateTime ? strftime(value, format === undefined ? DEFAULT_FORMAT : String(format)) : null;
    },
    datetimeformat_as_timezone: function (value, format, tz) {
      if (!(value instanceof DateTime)) return null;
      var local = inZone(value, tz === undefined ? 'UTC' : String(tz));
      return local ? strftime(local, format === undefined ? DEFAULT_FORMAT : String(format)) : null;
    },
    iso8601_to_time: function (value) { return typeof value === 'string' ? parseIso(value) : null; },
    tojson_pretty: function (value) { return dumps(value, { sortKeys: true, indent: 4, asciiOnly: false }, 0); },
    json_dumps: function (value) { return dumps(value, { sortKeys: false, indent: null, asciiOnly: true }, 0); },
    tojson: function (value) {
      return dumps(value, { sortKeys: true, indent: null, asciiOnly: true }, 0).replace(/[<>&']/g, function (c) {
        return '\\u' + ('0000' + c.charCodeAt(0).toString(16)).slice(-4);
      });
    },
    dump: function (value, spaces) {
      return dumps(value, { sortKeys: false, indent: typeof spaces === 'number' ? spaces : null, asciiOnly: false }, 0);
    },
    regex_replace: function (value, find, replace) {
      if (typeof value !== 'string') return null;
      return value.replace(pythonRegex(find, 'g'), pythonReplacement(replace === undefined ? '' : replace));
    },
    regex_match: function (value, pattern) {
      if (typeof value !== 'string') return null;
      var re = pythonRegex(pattern, 'y');
      return re.test(value);
    },
    regex_search: function (value, pattern) {
      if (typeof value !== 'string') return null;
      return pythonRegex(pattern, '').test(value);
    },
    b64decode: function (value) { return typeof value === 'string' ? b64decode(value) : null; },
  };
  Object.keys(filters).forEach(function (name) { env.addFilter(name, lenient(filters[name])); });
  env.addGlobal('time', function () { return new DateTime(now, 0, 'UTC'); });
  env.addGlobal('range', function (start, stop, step) {
    if (step === undefined) step = 1;
    var from = stop === undefined ? 0 : start, to = stop === undefined ? start : stop;
    if (!step || !(Math.abs((to - from) / step) <= MAX_RANGE)) throw new Error('range() is limited to ' + MAX_RANGE + ' items');
    var out = [];
    for (var i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
    return out;
  });

  // ---- freezing: nothing reachable from the global object can be changed by a template -------
  // Freezing a prototype makes its data properties read-only for instances too, so code that
  // sets e.g. err.name or obj.toString on its own objects would fail (the "override mistake").
  // These keys stay settable on instances: a setter defines the property on the instance itself.
  var OVERRIDABLE = ['length', 'name', 'message', 'stack', 'toString', 'valueOf', 'constructor', 'toJSON', 'lineno', 'colno', 'cause'];
  function tame(proto) {
    OVERRIDABLE.forEach(function (key) {
      var d = Object.getOwnPropertyDescriptor(proto, key);
      if (!d || !('value' in d) || !d.configurable) return;
      var value = d.value;
      Object.defineProperty(proto, key, {
        get: function () { return value; },
        set: function (v) {
          if (this === proto || Object.isFrozen(this)) throw new TypeError('Cannot assign to read only property ' + key);
          Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
        },
        enumerable: d.enumerable,
        configurable: false,
      });
    });
  }
  function reachable(root) {
    var seen = new Set(), protos = new Set(), stack = [root];
    while (stack.length) {
      var o = stack.pop();
      if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || Object.isFrozen(o)) continue;
      seen.add(o);
      var proto = Object.getPrototypeOf(o);
      if (proto) { protos.add(proto); stack.push(proto); }
      var keys = Reflect.ownKeys(o);
      for (var i = 0; i < keys.length; i++) {
        var d = Object.getOwnPropertyDescriptor(o, keys[i]);
        if (!d) continue;
        if ('value' in d) {
          if (keys[i] === 'prototype' && d.value && typeof d.value === 'object') protos.add(d.value);
          stack.push(d.value);
        } else { stack.push(d.get); stack.push(d.set); }
      }
    }
    return { all: seen, protos: protos };
  }
  function harden(root) {
    var found = reachable(root);
    found.protos.forEach(function (p) { if (!Object.isFrozen(p)) tame(p); });
    found.all.forEach(function (o) { Object.freeze(o); });
    found.protos.forEach(function (p) { Object.freeze(p); });
  }

  // ---- the compiled-template cache (least recently used first) -------------------------------
  var cache = new Map();
  var cachedChars = 0;
  function compiled(source) {
    var hit = cache.get(source);
    if (hit) { cache.delete(source); cache.set(source, hit); return hit; }
    var template = new N.Template(source, env, null, true);
    harden(template);
    cache.set(source, template);
    cachedChars += source.length;
    while (cache.size > CACHE_TEMPLATES || (cachedChars > CACHE_SOURCE_CHARS && cache.size > 1)) {
      var oldest = cache.keys().next().value;
      cache.delete(oldest);
      cachedChars -= oldest.length;
    }
    return template;
  }

  function prepare(source) { compiled(source); }
  function render(source, contextJson, nowMs, zonesJson) {
    var context = JSON.parse(contextJson);
    now = nowMs;
    zones = JSON.parse(zonesJson);
    try {
      var text = String(compiled(source).render(context));
      return text.length > MAX_RESULT ? text.slice(0, MAX_RESULT) + '..' : text;
    } finally {
      zones = {};
    }
  }

  // Route regexes RE2 cannot run (backreferences, lookaround) run here, under the same budget.
  function regexTest(source, flags, text) { return new RegExp(source, flags).test(text) ? '1' : '0'; }

  // Strings cross the boundary as JSON both ways: QuickJS's C-string API would end them at the
  // first NUL, so a payload value holding one would be cut short in a title or a regex test.
  function wire(fn) {
    return function () {
      var args = [];
      for (var i = 0; i < arguments.length; i++) args.push(typeof arguments[i] === 'string' ? JSON.parse(arguments[i]) : arguments[i]);
      var out = fn.apply(null, args);
      return typeof out === 'string' ? JSON.stringify(out) : '""';
    };
  }

  harden(globalThis);
  return [wire(prepare), wire(render), wire(regexTest)];
})()
`;

const require = createRequire(import.meta.url);

/** nunjucks' bundle ends with a `//# sourceMappingURL` comment: start the prelude on a new line. */
export function sandboxSource(): string {
  return `${readFileSync(require.resolve('nunjucks/browser/nunjucks.min.js'), 'utf8')}\n;${PRELUDE}`;
}
