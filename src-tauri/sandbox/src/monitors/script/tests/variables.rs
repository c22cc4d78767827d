//! The variable scopes: environment, collection variables, local, and `replaceIn`.

use super::*;

#[test]
fn variables_get_set_unset_and_resolve_in_postmans_order() {
    let mut e = engine();
    let mut vars = vars_of(
        json!({"host": "env.example", "shared": "from env", "n": 5}),
        json!({"shared": "from collection", "only_coll": "c", "host": "coll.example"}),
        json!({}),
    );
    let o = test_with_vars(
        &mut e,
        "pm.test('read', () => {
             pm.expect(pm.environment.get('host')).to.equal('env.example');
             pm.expect(pm.environment.get('n')).to.equal(5);
             pm.expect(pm.environment.get('nope')).to.be.undefined;
             pm.expect(pm.collectionVariables.get('host')).to.equal('coll.example');
             pm.expect(pm.variables.get('shared')).to.equal('from env');
             pm.expect(pm.variables.get('only_coll')).to.equal('c');
             pm.expect(pm.environment.has('only_coll')).to.be.false;
             pm.expect(pm.variables.has('only_coll')).to.be.true;
         });
         pm.variables.set('shared', 'from local');
         pm.test('local wins', () => pm.expect(pm.variables.get('shared')).to.equal('from local'));
         pm.environment.set('count', 3);
         pm.environment.set('obj', {a: [1, 2], b: null});
         pm.environment.set('flag', false);
         pm.environment.set('host', 'new.example');
         pm.environment.unset('n');
         pm.collectionVariables.set('token', 'abc');
         pm.test('types kept', () => {
             pm.expect(pm.environment.get('count')).to.equal(3);
             pm.expect(pm.environment.get('obj')).to.eql({a: [1, 2], b: null});
             pm.expect(pm.environment.get('flag')).to.equal(false);
             pm.expect(pm.environment.has('n')).to.be.false;
         });
         pm.test('a copy', () => { pm.environment.get('obj').a.push(3); pm.expect(pm.environment.get('obj').a).to.eql([1, 2]); });
         pm.test('toObject', () => {
             pm.expect(pm.environment.toObject()).to.eql({host: 'new.example', shared: 'from env', count: 3, obj: {a: [1, 2], b: null}, flag: false});
             pm.expect(pm.variables.toObject()).to.eql({shared: 'from local', only_coll: 'c', host: 'new.example', token: 'abc', count: 3, obj: {a: [1, 2], b: null}, flag: false});
         });
         pm.test('replaceIn', () => {
             pm.expect(pm.variables.replaceIn('https://{{host}}/{{shared}}/{{count}}/{{obj}}/{{unknown}}')).to.equal('https://new.example/from local/3/{\"a\":[1,2],\"b\":null}/{{unknown}}');
             pm.expect(pm.environment.replaceIn('{{only_coll}}-{{host}}')).to.equal('{{only_coll}}-new.example');
             pm.expect(pm.collectionVariables.replaceIn('{{host}}')).to.equal('coll.example');
         });",
        &mut vars,
    );
    assert!(all_pass(&o), "{o:?}");
    assert_eq!(o.tests.len(), 6);
    assert_eq!(
        vars.environment,
        vec![
            ("host".to_owned(), json!("new.example")),
            ("shared".to_owned(), json!("from env")),
            ("count".to_owned(), json!(3)),
            ("obj".to_owned(), json!({"a": [1, 2], "b": null})),
            ("flag".to_owned(), json!(false)),
        ]
    );
    assert_eq!(
        vars.collection.last(),
        Some(&("token".to_owned(), json!("abc")))
    );
    assert_eq!(vars.local, vec![("shared".to_owned(), json!("from local"))]);
    // The next script sees what this one left.
    let o = test_with_vars(&mut e, "pm.test('kept', () => pm.expect(pm.variables.get('token') + pm.variables.get('shared')).to.equal('abcfrom local'));", &mut vars);
    assert!(all_pass(&o), "{o:?}");
    // Rust resolves as the script did.
    assert_eq!(vars.resolve("shared").as_deref(), Some("from local"));
    assert_eq!(
        vars.replace_in("{{host}}:{{count}}:{{obj}}"),
        "new.example:3:{\"a\":[1,2],\"b\":null}"
    );
}

#[test]
fn clear_empties_a_scope_and_an_untouched_scope_is_left_as_it_was() {
    let mut e = engine();
    let dup = vec![("a".to_owned(), json!(1)), ("a".to_owned(), json!(2))];
    let mut vars = Vars {
        environment: vec![("x".to_owned(), json!("1"))],
        collection: dup.clone(),
        local: Vec::new(),
    };
    let o = test_with_vars(&mut e, "pm.environment.clear(); pm.test('dup', () => pm.expect(pm.collectionVariables.get('a')).to.equal(2));", &mut vars);
    assert!(all_pass(&o), "{o:?}");
    assert_eq!(vars.environment, vec![], "cleared");
    assert_eq!(vars.collection, dup, "read only: the duplicate stays");
    assert_eq!(
        vars.resolve("a").as_deref(),
        Some("2"),
        "the last occurrence, as in the script"
    );
}

#[test]
fn globals_and_iteration_data_are_the_scripts_own() {
    let mut e = engine();
    let mut vars = Vars::default();
    let o = test_with_vars(
        &mut e,
        "pm.globals.set('g', 1);
         pm.test('g', () => { pm.expect(pm.globals.get('g')).to.equal(1); pm.expect(pm.variables.get('g')).to.be.undefined; });
         pm.test('data', () => pm.expect(pm.iterationData.toObject()).to.eql({}));",
        &mut vars,
    );
    assert!(all_pass(&o), "{o:?}");
    assert_eq!(vars, Vars::default());
    let o = test_with_vars(
        &mut e,
        "pm.test('gone', () => pm.expect(pm.globals.has('g')).to.be.false);",
        &mut vars,
    );
    assert!(all_pass(&o), "{o:?}");
}

#[test]
fn rust_resolve_follows_local_env_collection_and_unquotes_strings_only() {
    let vars = vars_of(
        json!({"a": "env", "n": 1.5, "obj": {"k": [true]}, "nul": null}),
        json!({"a": "coll", "b": "coll b", "big": 12345678901234567890u64}),
        json!({"b": "local b"}),
    );
    assert_eq!(vars.resolve("a").as_deref(), Some("env"));
    assert_eq!(vars.resolve("b").as_deref(), Some("local b"));
    assert_eq!(vars.resolve("n").as_deref(), Some("1.5"));
    assert_eq!(vars.resolve("obj").as_deref(), Some(r#"{"k":[true]}"#));
    assert_eq!(vars.resolve("nul").as_deref(), Some("null"));
    assert_eq!(vars.resolve("big").as_deref(), Some("12345678901234567890"));
    assert_eq!(vars.resolve("none"), None);
}

#[test]
fn rust_replace_in_resolves_nested_templates_and_leaves_the_unknown() {
    let vars = vars_of(
        json!({"host": "example.com", "base": "https://{{host}}", "ab": "joined", "b": "b", "self": "{{self}}", "n": 7}),
        json!({}),
        json!({}),
    );
    assert_eq!(
        vars.replace_in("{{base}}/x?n={{n}}"),
        "https://example.com/x?n=7"
    );
    assert_eq!(
        vars.replace_in("{{unknown}} and {{ host }} stay"),
        "{{unknown}} and {{ host }} stay"
    );
    assert_eq!(
        vars.replace_in("{{a{{b}}}}"),
        "joined",
        "a name built of another"
    );
    assert_eq!(vars.replace_in("{{{host}}}"), "{example.com}");
    assert_eq!(vars.replace_in("{{host}"), "{{host}");
    assert_eq!(vars.replace_in("{{}}"), "{{}}");
    assert_eq!(
        vars.replace_in("{{self}}"),
        "{{self}}",
        "a value naming itself stops"
    );
    assert_eq!(
        vars.replace_in("plain ünïcode {{host}} ✓"),
        "plain ünïcode example.com ✓"
    );
    assert_eq!(vars.replace_in(""), "");
}

#[test]
fn rust_replace_in_is_bounded() {
    // Depth: a chain of 30 names resolves 20 links.
    let chain: serde_json::Map<String, Value> = (0..30)
        .map(|i| (format!("x{i}"), json!(format!("{{{{x{}}}}}", i + 1))))
        .collect();
    let vars = vars_of(Value::Object(chain), json!({}), json!({}));
    assert_eq!(
        vars.replace_in("{{x0}}"),
        format!("{{{{x{REPLACE_DEPTH}}}}}")
    );
    // Growth: `a` doubles each pass; pass 19 makes 5 × 2^19 units, pass 20 replaces until the
    // text would pass REPLACE_MAX (419,430 of them, 10 units each) and leaves the rest as is.
    let vars = vars_of(
        json!({"a": "{{a}}{{a}}", "big": "x".repeat(1024 * 1024)}),
        json!({}),
        json!({}),
    );
    assert_eq!(
        vars.replace_in("{{a}}").len(),
        4_194_300 + (5 << 19) - 5 * 419_430
    );
    let many = "{{big}}".repeat(10);
    let out = vars.replace_in(&many);
    assert_eq!(
        out.len(),
        4 * 1024 * 1024 + 6 * "{{big}}".len(),
        "four values fit, the rest is left as is"
    );
}

#[test]
fn javascript_replace_in_is_the_same_as_rusts() {
    let e = engine();
    let vars = vars_of(
        json!({"host": "example.com", "base": "https://{{host}}", "ab": "joined", "b": "b", "self": "{{self}}",
               "a": "{{a}}{{a}}", "n": 7, "o": {"k": "v"}, "u": "ünï{{b}}", "e": ""}),
        json!({"coll": "c"}),
        json!({"l": "{{coll}}"}),
    );
    let cases = [
        "{{base}}/x?n={{n}}&o={{o}}",
        "{{unknown}} {{ host }} {{}} {{host} {{{host}}} }}{{",
        "{{a{{b}}}}",
        "{{self}}",
        "{{a}}",
        "{{u}}{{l}}{{e}}|",
        "✓ {{u}} ✓ {{n}}{{n}}",
        "",
        "{{",
        "}}{{b}}{{b}}",
    ];
    let Some(inner) = e.inner.as_ref() else {
        panic!("no runtime")
    };
    for text in cases {
        let js: String = inner.ctx.with(|ctx| {
            let source = format!(
                "(() => {{ const v = {}; return __postdesk.replaceIn({}, n => {{
                     for (const s of [v.local, v.environment, v.collection]) {{
                         const hit = s.filter(p => p[0] === n).pop();
                         if (hit) return typeof hit[1] === 'string' ? hit[1] : JSON.stringify(hit[1]);
                     }}
                     return undefined;
                 }}); }})()",
                json!({"environment": vars.environment.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
                       "collection": vars.collection.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
                       "local": vars.local.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>()}),
                json!(text)
            );
            match ctx.eval::<String, _>(source) {
                Ok(s) => s,
                Err(e) => panic!("{text}: {e}"),
            }
        });
        assert_eq!(js, vars.replace_in(text), "{text}");
    }
}

#[test]
fn date_is_the_sandbox_clock_not_the_systems() {
    let mut e = engine();
    let o = test_on(
        &mut e,
        "pm.test('now', () => pm.expect(Date.now()).to.equal(1795428000000));
         pm.test('new Date()', () => pm.expect(new Date().toISOString()).to.equal('2026-11-23T10:00:00.000Z'));
         pm.test('a given date', () => pm.expect(new Date(0).getTime()).to.equal(0));
         pm.test('instanceof', () => pm.expect(new Date() instanceof Date).to.equal(true));
         pm.test('parse', () => pm.expect(Date.parse('1970-01-02T00:00:00Z')).to.equal(86400000));
         pm.test('as a function', () => pm.expect(Date()).to.be.a('string'));",
        &ok_json(),
    );
    assert!(all_pass(&o), "{}", failure(&o));
    assert_eq!(o.tests.len(), 6);
}
