/*
 * Postdesk sandbox: Postman's `pm` API for monitor scripts, evaluated once per engine after
 * chai.js (src-tauri/sandbox/src/monitors/script/mod.rs holds the Rust side).
 *
 * The Rust side talks to this file only through the frozen, non-configurable global
 * `__postdesk` ({configure, begin, run, finish}): `begin(input, body)` takes the run's data as
 * one JSON text (plus the response body text) and builds the globals a script sees (`pm`,
 * `postman`, `console`, `tests`, `responseBody`, `responseCode`); `run(source)` compiles the
 * script as a function body and calls it, recording what it throws; `finish()` returns what the
 * script did as one JSON text and removes the globals the script added.
 *
 * `Date` is the sandbox clock's, not the system's: `Date.now()` and `new Date()` (no argument)
 * give the instant the script started on the sandbox clock (`nowMs` of the input), and stay
 * there while it runs; every other use of `Date` is the built-in one.
 *
 * Variables are held as JSON texts (a value set keeps its JSON type; `get` returns a fresh
 * copy). Every string that leaves is made well-formed UTF-16 (lone surrogates become U+FFFD) so
 * that the Rust side can always parse the JSON text.
 */
(function (global) {
    'use strict';

    var chai = global.chai;
    var JSONparse = JSON.parse;
    var JSONstringify = JSON.stringify;
    var ObjectKeys = Object.keys;
    var defineProperty = Object.defineProperty;
    var freeze = Object.freeze;
    var ownKeys = Reflect.ownKeys;
    var isArray = Array.isArray;
    var hasOwn = Object.prototype.hasOwnProperty;
    var toWellFormed = String.prototype.toWellFormed;
    var isWellFormed = String.prototype.isWellFormed;
    var StringFn = String;
    var MapCtor = Map;
    var SetCtor = Set;
    var WeakSetCtor = WeakSet;
    var ErrorCtor = Error;
    var SyntaxErrorCtor = SyntaxError;
    var FunctionCtor = Function;
    var mathFloor = Math.floor;
    var InternalErrorCtor = typeof InternalError === 'function' ? InternalError : null;

    /* Set by configure() from the Rust constants: one source of truth. */
    var config = {
        consoleLines: 100,
        lineChars: 1000,
        replaceDepth: 20,
        replaceMax: 4194304
    };

    /* The per-run state; null outside begin()..finish(). */
    var state = null;

    function wf(s) {
        return toWellFormed.call(s);
    }

    function has(obj, key) {
        return hasOwn.call(obj, key);
    }

    /* An own, enumerable data property, even for keys like "__proto__". */
    function put(obj, key, value) {
        defineProperty(obj, key, { value: value, enumerable: true, writable: true, configurable: true });
    }

    /* JSON.stringify's replacer: strings and keys made well-formed. */
    function sanitize(key, value) {
        if (typeof value === 'string') {
            return wf(value);
        }
        if (value !== null && typeof value === 'object' && !isArray(value)) {
            var keys = ObjectKeys(value);
            var bad = false;
            for (var i = 0; i < keys.length; i++) {
                if (!isWellFormed.call(keys[i])) {
                    bad = true;
                    break;
                }
            }
            if (bad) {
                var copy = {};
                for (var j = 0; j < keys.length; j++) {
                    put(copy, wf(keys[j]), value[keys[j]]);
                }
                return copy;
            }
        }
        return value;
    }

    function toJson(value) {
        return JSONstringify(value, sanitize);
    }

    /* A string for any value; never throws (but an uncatchable interrupt passes through). */
    function safeString(value) {
        try {
            return wf(StringFn(value));
        } catch (e) {
            return '[unprintable value]';
        }
    }

    /*
     * The JSON text a variable holds. A value JSON cannot represent (undefined, a function, a
     * symbol, a BigInt, a cyclic object, a non-finite number) is stored as its string form.
     */
    function valueText(value) {
        if (typeof value === 'number' && !isFinite(value)) {
            return toJson(StringFn(value));
        }
        var text;
        try {
            text = toJson(value);
        } catch (e) {
            text = undefined;
        }
        if (typeof text !== 'string') {
            text = toJson(safeString(value));
        }
        return text;
    }

    /* `<ErrorName>: <message>` of anything thrown. */
    function describe(e) {
        try {
            if (e !== null && (typeof e === 'object' || typeof e === 'function') && 'message' in e) {
                var name = e.name === undefined ? 'Error' : safeString(e.name);
                var message = safeString(e.message);
                return message === '' ? name : name + ': ' + message;
            }
            return 'Error: ' + safeString(e);
        } catch (e2) {
            return 'Error: [unprintable error]';
        }
    }

    /* [name, message] of anything thrown. */
    function errorPair(e) {
        try {
            if (e !== null && (typeof e === 'object' || typeof e === 'function') && 'message' in e) {
                return [e.name === undefined ? 'Error' : safeString(e.name), safeString(e.message)];
            }
            return ['Error', safeString(e)];
        } catch (e2) {
            return ['Error', '[unprintable error]'];
        }
    }

    function isOutOfMemory(e) {
        try {
            return InternalErrorCtor !== null && e instanceof InternalErrorCtor && e.message === 'out of memory';
        } catch (e2) {
            return false;
        }
    }

    /*
     * `{{name}}` replaced by `lookup(name)` (a string, or undefined to leave it as is), Postman's
     * way: a name holds no brace; passes repeat (nested names, values holding templates) until
     * one changes nothing, at most config.replaceDepth of them; the text stops growing at
     * config.replaceMax UTF-16 units (the rest is left as is). Vars::replace_in is the same.
     */
    function replaceIn(text, lookup) {
        if (typeof text !== 'string') {
            return text;
        }
        var s = text;
        for (var pass = 0; pass < config.replaceDepth; pass++) {
            var out = '';
            var last = 0;
            var changed = false;
            var i = s.indexOf('{{');
            while (i !== -1) {
                var k = i + 2;
                while (k < s.length) {
                    var c = s.charCodeAt(k);
                    if (c === 123 || c === 125) {
                        break;
                    }
                    k++;
                }
                if (k + 1 < s.length && s.charCodeAt(k) === 125 && s.charCodeAt(k + 1) === 125) {
                    var value = lookup(s.slice(i + 2, k));
                    if (value !== undefined) {
                        var before = s.slice(last, i);
                        if (out.length + before.length + value.length > config.replaceMax) {
                            out += s.slice(last);
                            return out;
                        }
                        out += before + value;
                        last = k + 2;
                        changed = true;
                    }
                    i = s.indexOf('{{', k + 2);
                } else {
                    i = s.indexOf('{{', i + 1);
                }
            }
            if (!changed) {
                return s;
            }
            s = out + s.slice(last);
        }
        return s;
    }

    /* ---- variable scopes ---- */

    function makeStore(entries) {
        var map = new MapCtor();
        for (var i = 0; i < entries.length; i++) {
            map.set(entries[i][0], entries[i][1]);
        }
        return { map: map, dirty: false };
    }

    function textOf(store, name) {
        return store.map.get(name);
    }

    /* The string a `{{name}}` becomes: a JSON string unquoted, anything else as JSON text. */
    function resolvedText(text) {
        if (text === undefined) {
            return undefined;
        }
        return text.charCodeAt(0) === 34 ? JSONparse(text) : text;
    }

    function parseText(text) {
        return text === undefined ? undefined : JSONparse(text);
    }

    function storeObject(stores) {
        var obj = {};
        for (var s = 0; s < stores.length; s++) {
            stores[s].map.forEach(function (text, name) {
                put(obj, name, JSONparse(text));
            });
        }
        return obj;
    }

    /* pm.environment, pm.collectionVariables, pm.globals, pm.iterationData. */
    function scope(store, writable) {
        var api = {
            get: function (name) {
                return parseText(textOf(store, StringFn(name)));
            },
            has: function (name) {
                return store.map.has(StringFn(name));
            },
            toObject: function () {
                return storeObject([store]);
            },
            replaceIn: function (text) {
                return replaceIn(text, function (name) {
                    return resolvedText(textOf(store, name));
                });
            }
        };
        if (writable) {
            api.set = function (name, value) {
                store.map.set(StringFn(name), valueText(value));
                store.dirty = true;
            };
            api.unset = function (name) {
                store.map.delete(StringFn(name));
                store.dirty = true;
            };
            api.clear = function () {
                store.map.clear();
                store.dirty = true;
            };
        }
        return api;
    }

    /* pm.variables: set/unset/clear act on the local scope; get resolves local, env, collection. */
    function variables(local, env, coll) {
        var order = [local, env, coll];
        function find(name) {
            for (var i = 0; i < order.length; i++) {
                var t = textOf(order[i], name);
                if (t !== undefined) {
                    return t;
                }
            }
            return undefined;
        }
        var api = scope(local, true);
        api.get = function (name) {
            return parseText(find(StringFn(name)));
        };
        api.has = function (name) {
            return find(StringFn(name)) !== undefined;
        };
        api.toObject = function () {
            return storeObject([coll, env, local]);
        };
        api.replaceIn = function (text) {
            return replaceIn(text, function (name) {
                return resolvedText(find(name));
            });
        };
        return api;
    }

    /* ---- headers ---- */

    function headerOf(h) {
        if (typeof h === 'string') {
            var colon = h.indexOf(':');
            if (colon === -1) {
                return { key: h.trim(), value: '' };
            }
            return { key: h.slice(0, colon).trim(), value: h.slice(colon + 1).trim() };
        }
        if (h === null || typeof h !== 'object') {
            throw new TypeError('a header is {key, value} or "Name: value"');
        }
        return { key: safeString(h.key), value: h.value === undefined || h.value === null ? '' : safeString(h.value) };
    }

    function same(a, b) {
        return StringFn(a).toLowerCase() === StringFn(b).toLowerCase();
    }

    /*
     * Postman's HeaderList: names compare case-insensitively; of several with one name, `get`
     * and `one` give the last (as PropertyList does).
     */
    function HeaderList(pairs, writable) {
        var list = [];
        for (var i = 0; i < pairs.length; i++) {
            list.push({ key: pairs[i][0], value: pairs[i][1] });
        }
        defineProperty(this, '_list', { value: list });
        if (writable) {
            defineProperty(this, 'add', { value: addHeader, enumerable: false });
            defineProperty(this, 'append', { value: addHeader, enumerable: false });
            defineProperty(this, 'upsert', { value: upsertHeader, enumerable: false });
            defineProperty(this, 'remove', { value: removeHeader, enumerable: false });
            defineProperty(this, 'clear', { value: clearHeaders, enumerable: false });
        }
    }

    function addHeader(h) {
        this._list.push(headerOf(h));
    }

    function upsertHeader(h) {
        var header = headerOf(h);
        var list = this._list;
        for (var i = 0; i < list.length; i++) {
            if (same(list[i].key, header.key)) {
                list[i].value = header.value;
                return;
            }
        }
        list.push(header);
    }

    function removeHeader(what) {
        var list = this._list;
        var keep = [];
        for (var i = 0; i < list.length; i++) {
            var drop = typeof what === 'function' ? what(list[i]) :
                same(list[i].key, what !== null && typeof what === 'object' ? what.key : what);
            if (!drop) {
                keep.push(list[i]);
            }
        }
        list.length = 0;
        for (var j = 0; j < keep.length; j++) {
            list.push(keep[j]);
        }
    }

    function clearHeaders() {
        this._list.length = 0;
    }

    HeaderList.prototype.one = function (name) {
        var list = this._list;
        for (var i = list.length - 1; i >= 0; i--) {
            if (same(list[i].key, name)) {
                return list[i];
            }
        }
        return undefined;
    };
    HeaderList.prototype.get = function (name) {
        var h = this.one(name);
        return h === undefined ? undefined : h.value;
    };
    HeaderList.prototype.has = function (name, value) {
        var list = this._list;
        for (var i = 0; i < list.length; i++) {
            if (same(list[i].key, name) && (arguments.length < 2 || list[i].value === value)) {
                return true;
            }
        }
        return false;
    };
    HeaderList.prototype.all = function () {
        return this._list.map(function (h) {
            return { key: h.key, value: h.value };
        });
    };
    HeaderList.prototype.toObject = function () {
        var obj = {};
        this._list.forEach(function (h) {
            put(obj, h.key, h.value);
        });
        return obj;
    };
    HeaderList.prototype.count = function () {
        return this._list.length;
    };
    HeaderList.prototype.idx = function (i) {
        return this.all()[i];
    };
    HeaderList.prototype.each = function (fn) {
        this.all().forEach(fn);
    };
    HeaderList.prototype.map = function (fn) {
        return this.all().map(fn);
    };
    HeaderList.prototype.filter = function (fn) {
        return this.all().filter(fn);
    };
    HeaderList.prototype.find = function (fn) {
        return this.all().find(fn);
    };
    HeaderList.prototype.toString = function () {
        return this._list.map(function (h) {
            return h.key + ': ' + h.value;
        }).join('\n');
    };
    HeaderList.prototype[Symbol.iterator] = function () {
        return this.all()[Symbol.iterator]();
    };

    function pairsOf(headers) {
        return headers._list.map(function (h) {
            return [safeString(h.key), safeString(h.value)];
        });
    }

    /* ---- request and response ---- */

    function PmRequest(r) {
        this.method = r.method;
        this.url = r.url;
        this.headers = new HeaderList(r.headers, true);
        this.body = r.body === null ? undefined : r.body;
    }
    defineProperty(PmRequest.prototype, 'to', {
        get: function () {
            return chai.expect(this).to;
        }
    });

    function JSONError(message) {
        var e = new ErrorCtor(message);
        Object.setPrototypeOf(e, JSONError.prototype);
        return e;
    }
    JSONError.prototype = Object.create(ErrorCtor.prototype, {
        constructor: { value: JSONError, writable: true, configurable: true },
        name: { value: 'JSONError', writable: true, configurable: true }
    });

    /* Line and column (1-based) of a UTF-16 offset. */
    function lineColumn(text, offset) {
        var line = 1;
        var column = 1;
        for (var i = 0; i < offset && i < text.length; i++) {
            if (text.charCodeAt(i) === 10) {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return line + ':' + column;
    }

    /* JSON.parse with a JSONError that says what and where (the first line is the message). */
    function parseBody(text) {
        var t = text.charCodeAt(0) === 0xFEFF ? text.slice(1) : text;
        try {
            return JSONparse(t);
        } catch (e) {
            if (!(e instanceof SyntaxErrorCtor)) {
                throw e;
            }
            var message = t.trim() === '' ? 'Unexpected end of JSON input (the body is empty)' : safeString(e.message);
            message = message.charAt(0).toUpperCase() + message.slice(1);
            var at = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
            if (at) {
                message = message.slice(0, at.index) + ' at ' + lineColumn(t, Number(at[1])) + message.slice(at.index + at[0].length);
            }
            var excerpt = t.length > 40 ? t.slice(0, 40) + '…' : t;
            throw new JSONError(message + '\n' + excerpt);
        }
    }

    function PmResponse(r, body) {
        this.code = r.code;
        this.status = r.status;
        this.headers = new HeaderList(r.headers, false);
        this.responseTime = r.responseTime;
        this.responseSize = r.responseSize;
        defineProperty(this, '_body', { value: body });
        defineProperty(this, '_headerSize', { value: r.headerSize });
    }
    PmResponse.prototype.text = function () {
        return this._body;
    };
    PmResponse.prototype.json = function () {
        return parseBody(this._body);
    };
    PmResponse.prototype.reason = function () {
        return this.status;
    };
    PmResponse.prototype.details = function () {
        return { code: this.code, name: this.status, detail: this.status };
    };
    PmResponse.prototype.size = function () {
        return { body: this.responseSize, header: this._headerSize, total: this.responseSize + this._headerSize };
    };
    defineProperty(PmResponse.prototype, 'to', {
        get: function () {
            return chai.expect(this).to;
        }
    });

    /* ---- Postman's assertions on pm.response / pm.request (chai-postman's, in its words) ---- */

    /* lodash's `_.has`/`_.get` path: "a.b", "a[0].b", "a['b']"; an own key equal to the path wins. */
    function pathParts(path) {
        var parts = [];
        var re = /[^.[\]]+|\[(?:(-?\d+)|(["'])((?:(?!\2)[^\\]|\\.)*?)\2)\]/g;
        var m;
        while ((m = re.exec(path)) !== null) {
            parts.push(m[1] !== undefined ? m[1] : m[3] !== undefined ? m[3] : m[0]);
        }
        return parts;
    }

    function pathLookup(obj, path) {
        if (obj !== null && typeof obj === 'object' && has(obj, path)) {
            return { found: true, value: obj[path] };
        }
        var parts = pathParts(path);
        var cur = obj;
        if (parts.length === 0) {
            return { found: false };
        }
        for (var i = 0; i < parts.length; i++) {
            if (cur === null || typeof cur !== 'object' || !has(cur, parts[i])) {
                return { found: false };
            }
            cur = cur[parts[i]];
        }
        return { found: true, value: cur };
    }

    chai.use(function (chai, utils) {
        var Assertion = chai.Assertion;

        function isResponse(o) {
            return o instanceof PmResponse;
        }
        function isRequest(o) {
            return o instanceof PmRequest;
        }
        function needResponse(a) {
            a.assert(isResponse(a._obj), 'expecting a postman response object but got #{this}',
                'not expecting a postman response object');
        }
        function classOf(a) {
            return mathFloor(a._obj.code / 100);
        }

        Assertion.addProperty('postmanResponse', function () {
            needResponse(this);
        });
        Assertion.addProperty('postmanRequest', function () {
            this.assert(isRequest(this._obj), 'expecting a postman request object but got #{this}',
                'not expecting a postman request object');
        });
        Assertion.addProperty('postmanRequestOrResponse', function () {
            this.assert(isRequest(this._obj) || isResponse(this._obj),
                'expecting a postman request or response object but got #{this}',
                'not expecting a postman request or response object');
        });

        Assertion.addMethod('statusCodeClass', function (classCode) {
            new Assertion(this._obj).to.be.postmanResponse;
            this.assert(classOf(this) === classCode, 'expected response code to be #{exp}XX but found #{act}',
                'expected response code to not be #{exp}XX', classCode, this._obj.code);
        });

        var classes = { info: 1, success: 2, redirection: 3, clientError: 4, serverError: 5 };
        ObjectKeys(classes).forEach(function (name) {
            Assertion.addProperty(name, function () {
                new Assertion(this._obj).to.be.postmanResponse;
                this.assert(classOf(this) === classes[name], 'expected response code to be #{exp}XX but found #{act}',
                    'expected response code to not be #{exp}XX', classes[name], this._obj.code);
            });
        });

        Assertion.addProperty('error', function () {
            new Assertion(this._obj).to.be.postmanResponse;
            var c = classOf(this);
            this.assert(c === 4 || c === 5, 'expected response code to be 4XX or 5XX but found #{act}',
                'expected response code to not be 4XX or 5XX', null, this._obj.code);
        });

        function assertCode(a, code) {
            a.assert(a._obj.code === Number(code), 'expected response to have status code #{exp} but got #{act}',
                'expected response to not have status code #{act}', Number(code), a._obj.code);
        }
        function assertReason(a, reason, upper) {
            var actual = upper ? StringFn(a._obj.reason()).toUpperCase() : a._obj.reason();
            a.assert(actual === reason, 'expected response to have status reason #{exp} but got #{act}',
                'expected response to not have status reason #{act}', reason, actual);
        }

        Assertion.addMethod('statusCode', function (code) {
            new Assertion(this._obj).to.be.postmanResponse;
            assertCode(this, code);
        });
        Assertion.addMethod('statusReason', function (reason) {
            new Assertion(this._obj).to.be.postmanResponse;
            assertReason(this, StringFn(reason), false);
        });
        Assertion.addMethod('status', function (codeOrReason) {
            new Assertion(this._obj).to.be.postmanResponse;
            if (typeof codeOrReason === 'number') {
                assertCode(this, codeOrReason);
            } else {
                assertReason(this, codeOrReason, false);
            }
        });

        var reasons = {
            accepted: [202, 'Accepted'],
            withoutContent: [204, 'No Content'],
            badRequest: [400, 'Bad Request'],
            unauthorised: [401, 'Unauthorized'],
            unauthorized: [401, 'Unauthorized'],
            forbidden: [403, 'Forbidden'],
            notFound: [404, 'Not Found'],
            notAcceptable: [406, 'Not Acceptable'],
            rateLimited: [429, 'Too Many Requests']
        };
        ObjectKeys(reasons).forEach(function (name) {
            Assertion.addProperty(name, function () {
                new Assertion(this._obj).to.be.postmanResponse;
                assertReason(this, reasons[name][1].toUpperCase(), true);
                assertCode(this, reasons[name][0]);
            });
        });

        /* `ok` on a response is 200 OK (as in Postman); on anything else it is chai's truthiness. */
        Assertion.overwriteProperty('ok', function (_super) {
            return function () {
                if (!isResponse(this._obj)) {
                    return _super.call(this);
                }
                assertReason(this, 'OK', true);
                assertCode(this, 200);
            };
        });

        Assertion.addMethod('header', function (key, value) {
            new Assertion(this._obj).to.be.postmanRequestOrResponse;
            var what = isResponse(this._obj) ? 'response' : 'request';
            var headers = this._obj.headers;
            var present = headers.has(key);
            this.assert(present, 'expected ' + what + ' to have header with key \'' + safeString(key) + '\'',
                'expected ' + what + ' to not have header with key \'' + safeString(key) + '\'', true, present);
            if (arguments.length < 2) {
                return;
            }
            var actual = headers.one(key).value;
            this.assert(actual === value,
                'expected \'' + safeString(key) + '\' ' + what + ' header to be #{exp} but got #{act}',
                'expected \'' + safeString(key) + '\' ' + what + ' header to not be #{act}', value, actual);
        });

        Assertion.addProperty('withBody', function () {
            new Assertion(this._obj).to.be.postmanResponse;
            var text = this._obj.text();
            this.assert(text.length > 0, 'expected response to have content in body',
                'expected response to not have content in body');
        });

        function parseError(response) {
            try {
                response.json();
                return undefined;
            } catch (e) {
                if (isOutOfMemory(e)) {
                    throw e;
                }
                if (e instanceof JSONError) {
                    return StringFn(e.message).split('\n')[0];
                }
                return describe(e);
            }
        }

        Assertion.addProperty('json', function () {
            new Assertion(this._obj).to.be.postmanResponse;
            var error = parseError(this._obj);
            this.assert(error === undefined, 'expected response body to be a valid json but got error ' + error,
                'expected response body not to be a valid json');
        });

        Assertion.addMethod('body', function (content) {
            new Assertion(this._obj).to.be.postmanResponse;
            var text = this._obj.text();
            if (arguments.length === 0) {
                this.assert(text.length > 0, 'expected response to have content in body',
                    'expected response to not have content in body');
                return;
            }
            if (content !== null && typeof content === 'object' && !(content instanceof RegExp)) {
                var data;
                try {
                    data = this._obj.json();
                } catch (e) {
                    if (isOutOfMemory(e)) {
                        throw e;
                    }
                }
                this.assert(utils.eql(data, content), 'expected response body json to equal #{exp} but got #{act}',
                    'expected response body json to not equal #{exp} but got #{act}', content, data);
                return;
            }
            if (content instanceof RegExp) {
                this.assert(content.exec(text) !== null, 'expected response body text to match #{exp} but got #{act}',
                    'expected response body text #{act} to not match #{exp}', content, text);
                return;
            }
            this.assert(text === content, 'expected response body to equal #{exp} but got #{act}',
                'expected response body to not equal #{exp}', content, text);
        });

        Assertion.addMethod('jsonBody', function (path, value) {
            new Assertion(this._obj).to.be.postmanResponse;
            var error = parseError(this._obj);
            if (arguments.length === 0) {
                this.assert(error === undefined, 'expected response body to be a valid json but got error ' + error,
                    'expected response body not to be a valid json');
                return;
            }
            var body = error === undefined ? this._obj.json() : undefined;
            if (typeof path !== 'string') {
                return;
            }
            var at = pathLookup(body, path);
            this.assert(at.found, 'expected #{act} in response to contain property #{exp}',
                'expected #{act} in response to not contain property #{exp}', path, body);
            if (arguments.length > 1) {
                this.assert(utils.eql(at.value, value),
                    'expected response body json at "' + path + '" to contain #{exp} but got #{act}',
                    'expected response body json at "' + path + '" to not contain #{exp} but got #{act}',
                    value, at.value);
            }
        });
    });

    /* ---- console ---- */

    function format(value) {
        switch (typeof value) {
            case 'string':
                return value;
            case 'function':
                return '[Function: ' + (value.name ? safeString(value.name) : '(anonymous)') + ']';
            case 'bigint':
                return StringFn(value) + 'n';
            case 'object':
                if (value === null) {
                    return 'null';
                }
                if (value instanceof ErrorCtor) {
                    return describe(value);
                }
                try {
                    var seen = new WeakSetCtor();
                    var text = JSONstringify(value, function (key, v) {
                        if (v !== null && typeof v === 'object') {
                            if (seen.has(v)) {
                                return '[Circular]';
                            }
                            seen.add(v);
                        }
                        return typeof v === 'bigint' ? StringFn(v) + 'n' : v;
                    });
                    return text === undefined ? safeString(value) : text;
                } catch (e) {
                    if (isOutOfMemory(e)) {
                        throw e;
                    }
                    return safeString(value);
                }
            default:
                return safeString(value);
        }
    }

    function cut(s) {
        if (s.length <= config.lineChars) {
            return s;
        }
        var end = config.lineChars;
        var c = s.charCodeAt(end - 1);
        if (c >= 0xD800 && c <= 0xDBFF) {
            end--;
        }
        return s.slice(0, end);
    }

    function makeConsole(st) {
        function level(name) {
            return function () {
                if (st.console.length >= config.consoleLines) {
                    st.dropped++;
                    return;
                }
                var parts = [];
                for (var i = 0; i < arguments.length; i++) {
                    parts.push(format(arguments[i]));
                }
                st.console.push([name, cut(wf(parts.join(' ')))]);
            };
        }
        return {
            log: level('log'),
            info: level('info'),
            warn: level('warn'),
            error: level('error'),
            debug: level('debug')
        };
    }

    /* ---- pm ---- */

    function makeTest(st) {
        function test(name, fn) {
            var title = safeString(name);
            if (typeof fn !== 'function') {
                st.skipped.push(title);
                return;
            }
            var result;
            try {
                result = fn();
            } catch (e) {
                if (isOutOfMemory(e)) {
                    throw e;
                }
                st.tests.push({ name: title, passed: false, error: describe(e) });
                return;
            }
            var rec = { name: title, passed: true, error: null };
            st.tests.push(rec);
            try {
                if (result !== null && (typeof result === 'object' || typeof result === 'function') &&
                    typeof result.then === 'function') {
                    rec.pending = true;
                    result.then(function () {
                        rec.pending = false;
                    }, function (e) {
                        rec.pending = false;
                        rec.passed = false;
                        rec.error = describe(e);
                    });
                }
            } catch (e) {
                rec.pending = false;
                rec.passed = false;
                rec.error = describe(e);
            }
        }
        test.skip = function (name) {
            st.skipped.push(safeString(name));
        };
        return test;
    }

    function setNext(st) {
        return function (name) {
            st.next = { value: name === null || name === undefined ? null : safeString(name) };
        };
    }

    var perRun = ['pm', 'postman', 'console', 'tests', 'responseBody', 'responseCode', 'responseTime'];
    var baseline = null;

    function begin(inputText, body) {
        var input = JSONparse(inputText);
        var st = {
            input: input,
            tests: [],
            skipped: [],
            console: [],
            dropped: 0,
            error: null,
            next: null,
            legacy: {},
            env: makeStore(input.vars.environment),
            coll: makeStore(input.vars.collection),
            local: makeStore(input.vars.local),
            request: null
        };
        state = st;
        var isTest = input.event === 'test';
        var request = new PmRequest(input.request);
        st.request = request;
        var response = input.response === null ? undefined : new PmResponse(input.response, body);
        var pm = {
            info: freeze({
                eventName: input.event,
                requestName: input.requestName,
                requestId: input.requestId,
                iteration: 0,
                iterationCount: 1
            }),
            test: makeTest(st),
            expect: chai.expect,
            environment: scope(st.env, true),
            collectionVariables: scope(st.coll, true),
            variables: variables(st.local, st.env, st.coll),
            globals: scope(makeStore([]), true),
            iterationData: scope(makeStore([]), false),
            request: request,
            response: response,
            execution: { setNextRequest: setNext(st) },
            visualizer: { set: function () {}, clear: function () {} },
            sendRequest: function () {
                throw new ErrorCtor('pm.sendRequest is not supported in the sandbox\'s monitor runs');
            }
        };
        global.pm = pm;
        global.postman = { setNextRequest: setNext(st) };
        global.console = makeConsole(st);
        global.tests = st.legacy;
        global.responseBody = isTest ? body : undefined;
        global.responseCode = isTest ? { code: input.response.code, name: input.response.status, detail: input.response.status } : undefined;
        global.responseTime = isTest ? input.response.responseTime : undefined;
    }

    function run(source) {
        var st = state;
        try {
            var fn = new FunctionCtor(source);
            fn.call(undefined);
        } catch (e) {
            st.error = errorPair(e);
        }
    }

    function storeOut(store) {
        if (!store.dirty) {
            return null;
        }
        var out = [];
        store.map.forEach(function (text, name) {
            out.push([name, text]);
        });
        return out;
    }

    /* Globals the script added go; what the engine had stays. */
    function cleanGlobals() {
        var keys = ownKeys(global);
        for (var i = 0; i < keys.length; i++) {
            if (baseline.has(keys[i])) {
                continue;
            }
            try {
                delete global[keys[i]];
            } catch (e) {
                try {
                    global[keys[i]] = undefined;
                } catch (e2) {
                    /* a non-configurable, read-only global stays */
                }
            }
        }
        for (var j = 0; j < perRun.length; j++) {
            global[perRun[j]] = undefined;
        }
    }

    function finish() {
        var st = state;
        state = null;
        var tests = [];
        for (var i = 0; i < st.tests.length; i++) {
            var t = st.tests[i];
            if (t.pending) {
                tests.push([t.name, false, 'Error: the test\'s promise did not settle before the script ended']);
            } else {
                tests.push([t.name, t.passed, t.error]);
            }
        }
        var legacy = st.legacy;
        if (legacy !== null && typeof legacy === 'object') {
            var names = ObjectKeys(legacy);
            for (var j = 0; j < names.length; j++) {
                var passed = !!legacy[names[j]];
                tests.push([names[j], passed, passed ? null : 'AssertionError: expected tests["' + names[j] + '"] to be truthy']);
            }
        }
        var request = null;
        if (st.input.event === 'prerequest') {
            var r = st.request;
            request = { method: safeString(r.method), url: safeString(r.url), headers: pairsOf(r.headers) };
        }
        var out = toJson({
            tests: tests,
            skipped: st.skipped,
            error: st.error,
            console: st.console,
            dropped: st.dropped,
            next: st.next,
            environment: storeOut(st.env),
            collection: storeOut(st.coll),
            local: storeOut(st.local),
            request: request
        });
        cleanGlobals();
        return out;
    }

    function configure(c) {
        config.consoleLines = c.consoleLines;
        config.lineChars = c.lineChars;
        config.replaceDepth = c.replaceDepth;
        config.replaceMax = c.replaceMax;
    }

    // The sandbox clock's Date (see the header): same prototype, so `instanceof Date` and every
    // method work; only "now" comes from the input.
    var RealDate = global.Date;
    var realNow = RealDate.now;
    var sandboxNow = function () {
        var n = state && state.input && state.input.nowMs;
        return typeof n === 'number' ? n : realNow();
    };
    var SandboxDate = function Date() {
        if (!(this instanceof SandboxDate)) {
            return new RealDate(sandboxNow()).toString();
        }
        if (arguments.length === 0) {
            return new RealDate(sandboxNow());
        }
        var args = [null];
        for (var a = 0; a < arguments.length; a++) args.push(arguments[a]);
        return new (FunctionCtor.prototype.bind.apply(RealDate, args))();
    };
    SandboxDate.prototype = RealDate.prototype;
    SandboxDate.now = sandboxNow;
    SandboxDate.parse = RealDate.parse;
    SandboxDate.UTC = RealDate.UTC;
    global.Date = SandboxDate;

    for (var p = 0; p < perRun.length; p++) {
        global[perRun[p]] = undefined;
    }
    defineProperty(global, '__postdesk', {
        value: freeze({ configure: configure, begin: begin, run: run, finish: finish, replaceIn: replaceIn }),
        writable: false,
        enumerable: false,
        configurable: false
    });
    baseline = new SetCtor(ownKeys(global));
})(globalThis);
