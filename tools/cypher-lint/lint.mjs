#!/usr/bin/env node
// Lints Cypher statements offline with Neo4j's own Cypher front-end: the parser and semantic analysis that
// @neo4j-cypher/language-support ships (compiled from Neo4j's Java front-end), without a database.
//
//   node lint.mjs [--cypher-version 5|25] [FILE|-]     FILE (or stdin): JSON array of {"name", "statement"}
//   node lint.mjs --self-test                          only the self-test below
//
// Prints one JSON document: {"linter": {...}, "statements": N, "diagnostics": N,
//   "results": [{"name", "diagnostics": [{"severity", "message", "offsets": {start, end}, "range", "text", "source"}]}]}
// Offsets are UTF-16 code unit offsets into the statement (as .NET strings count them); range lines and characters
// are 0-based.
//
// Exit codes: 0 no diagnostic, 1 at least one diagnostic (of any severity, warnings included), 2 bad arguments or
// input, 3 the linter itself does not work (package missing, or the self-test failed).
//
// What is checked, per statement:
//   - syntax and semantics as Neo4j's front-end sees them in the chosen Cypher version (default Cypher 5, the only
//     language of a Neo4j 5.x server): undefined variables, type errors, wrong arity, deprecations and the server's
//     own notifications (deprecation, cartesian product, ...);
//   - functions and procedures against the registry of Neo4j's built-ins (no APOC, no GDS): the package only knows
//     them from a database, so we give it the snapshot of a real server's registry that it ships (testData.mockSchema);
//   - that it is exactly one statement (the Query API runs one per request), not empty, not a console command;
//   - with Cypher 5, that it has no "CYPHER <version>" prefix (only Neo4j 2025.06+ accepts one).
// Parameters ($ids, $rows, ...) are accepted without declaring them: "Parameter $x is not defined" is the
// language service's own "disconnected" check, filtered out with its isNotParamError, as Neo4j's editors do.
// Labels, relationship types and property keys are not checked (no database schema is given).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PACKAGE = '@neo4j-cypher/language-support';
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const EXIT = { clean: 0, diagnostics: 1, usage: 2, broken: 3 };

function fail(code, message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const options = { cypherVersion: '5', input: '-', selfTest: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--self-test') {
      options.selfTest = true;
    } else if (arg === '--cypher-version') {
      options.cypherVersion = argv[++i];
    } else if (arg.startsWith('--cypher-version=')) {
      options.cypherVersion = arg.slice('--cypher-version='.length);
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: node lint.mjs [--cypher-version 5|25] [--self-test] [FILE|-]\n');
      process.exit(EXIT.clean);
    } else if (arg.startsWith('--')) {
      fail(EXIT.usage, `unknown option ${arg}`);
    } else {
      options.input = arg;
    }
  }
  if (options.cypherVersion !== '5' && options.cypherVersion !== '25') {
    fail(EXIT.usage, `--cypher-version must be 5 or 25, not ${options.cypherVersion}`);
  }
  return options;
}

/** The version in the package.json above the package's entry point (the package does not export package.json). */
function packageVersion(entryPoint) {
  for (let dir = dirname(entryPoint); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      if (json.name === PACKAGE) {
        return json.version;
      }
    }
  }
  return 'unknown';
}

async function loadLanguageSupport() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    fail(EXIT.broken, `Node.js 20 or later is needed, not ${process.version}`);
  }
  let languageSupport;
  let version;
  try {
    languageSupport = await import(PACKAGE);
    version = packageVersion(createRequire(import.meta.url).resolve(PACKAGE));
  } catch (error) {
    fail(EXIT.broken, `cannot load ${PACKAGE} (${error.code ?? error.message}). Install it: npm ci --prefix tools/cypher-lint`);
  }
  for (const name of ['lintCypherQuery', 'isNotParamError', 'parseStatementsStrs', 'testData']) {
    if (!(name in languageSupport)) {
      fail(EXIT.broken, `${PACKAGE} ${version} has no export '${name}': lint.mjs was written for 2.0.0-next.38`);
    }
  }
  return { ...languageSupport, version };
}

/** The database schema we lint against: no labels, types or properties; Neo4j's built-in functions and procedures. */
function dbSchema(languageSupport, cypherVersion) {
  const registry = languageSupport.testData?.mockSchema;
  const functions = registry?.functions?.[cypherVersion];
  const procedures = registry?.procedures?.[cypherVersion];
  if (!functions || !procedures) {
    fail(EXIT.broken, `${PACKAGE} ${languageSupport.version} ships no function/procedure registry for ${cypherVersion}`);
  }
  const builtInFunctions = Object.fromEntries(Object.entries(functions).filter(([, f]) => f.isBuiltIn === true));
  // Neo4j's own procedures (db.*, dbms.*, tx.*); not plugins' (apoc.*, gds.*) nor Enterprise CDC (cdc.*).
  const builtInProcedures = Object.fromEntries(Object.entries(procedures).filter(([name]) => /^(db|dbms|tx)\./.test(name)));
  return {
    defaultLanguage: cypherVersion,
    functions: { [cypherVersion]: builtInFunctions },
    procedures: { [cypherVersion]: builtInProcedures },
  };
}

function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = (before.match(/\n/g) ?? []).length;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

function ownDiagnostic(statement, start, end, message) {
  return {
    severity: 'error',
    message,
    offsets: { start, end },
    range: { start: positionAt(statement, start), end: positionAt(statement, end) },
    text: statement.slice(start, end),
    source: 'cypher-lint',
  };
}

/** Strips comments and blanks (roughly: a // inside a string literal counts as a comment), to tell an empty statement. */
function codeOnly(statement) {
  return statement.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ').trim();
}

function lintOne(languageSupport, schema, cypherVersion, statement) {
  if (codeOnly(statement) === '') {
    return [ownDiagnostic(statement, 0, statement.length, 'empty statement: nothing but blanks and comments')];
  }

  const { diagnostics } = languageSupport.lintCypherQuery(statement, schema, { consoleCommandsEnabled: false });
  const found = diagnostics.filter(languageSupport.isNotParamError).map((d) => ({
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    offsets: { start: d.offsets.start, end: d.offsets.end },
    range: d.range,
    text: statement.slice(d.offsets.start, d.offsets.end),
    source: 'neo4j',
  }));

  const parts = languageSupport.parseStatementsStrs(statement).filter((part) => codeOnly(part).replace(/;/g, '').trim() !== '');
  if (parts.length > 1) {
    const second = statement.indexOf(parts[1]);
    found.push(ownDiagnostic(statement, Math.max(second, 0), statement.length,
      `${parts.length} statements where one is expected: the Query API runs exactly one statement per request`));
  }

  if (cypherVersion === 'CYPHER 5') {
    const prefix = /^\s*(?:(?:\/\*[\s\S]*?\*\/|\/\/[^\n]*)\s*)*(CYPHER\s+\d+)\b/i.exec(statement);
    if (prefix) {
      const start = prefix.index + prefix[0].length - prefix[1].length;
      found.push(ownDiagnostic(statement, start, start + prefix[1].length,
        `'${prefix[1]}' prefix: only Neo4j 2025.06+ accepts a Cypher version prefix; these statements must run on Neo4j 5.x`));
    }
  }

  return found.sort((a, b) => a.offsets.start - b.offsets.start || a.message.localeCompare(b.message));
}

/**
 * The linter must find known errors and accept known-good Cypher before its silence on real statements means
 * anything: the package swallows exceptions of its semantic analysis (returning no diagnostics), and a runtime or
 * package change could disable a check without any error.
 */
function selfTest(languageSupport, schema, cypherVersion) {
  const mustFlag = {
    'syntax error': 'MATCH (n RETURN n',
    'undefined variable': 'MATCH (n) RETURN m',
    'unknown function': 'RETURN notAFunction(1)',
    'unknown procedure': 'CALL db.notAProcedure()',
    'type error': 'RETURN 1 + true',
    'two statements': 'RETURN 1; RETURN 2',
  };
  const mustPass = {
    'parameters, built-in function': 'MATCH (o:Organisation) WHERE o.id IN $ids RETURN toUpper(o.name) AS name',
    'built-in procedure': "CALL db.index.fulltext.queryNodes('org_search', $text) YIELD node, score RETURN node, score",
  };
  const failures = [];
  for (const [what, statement] of Object.entries(mustFlag)) {
    if (lintOne(languageSupport, schema, cypherVersion, statement).length === 0) {
      failures.push(`does not flag a ${what}: ${statement}`);
    }
  }
  for (const [what, statement] of Object.entries(mustPass)) {
    const found = lintOne(languageSupport, schema, cypherVersion, statement);
    if (found.length > 0) {
      failures.push(`flags valid Cypher (${what}): ${statement}: ${found.map((d) => d.message).join('; ')}`);
    }
  }
  return failures;
}

function readInput(input) {
  let text;
  try {
    text = readFileSync(input === '-' ? 0 : input, 'utf8');
  } catch (error) {
    fail(EXIT.usage, `cannot read ${input === '-' ? 'stdin' : input}: ${error.message}`);
  }
  let items;
  try {
    items = JSON.parse(text);
  } catch (error) {
    fail(EXIT.usage, `input is not JSON: ${error.message}`);
  }
  if (!Array.isArray(items)) {
    fail(EXIT.usage, 'input must be a JSON array of {"name": string, "statement": string}');
  }
  items.forEach((item, i) => {
    if (typeof item?.name !== 'string' || typeof item?.statement !== 'string') {
      fail(EXIT.usage, `item ${i} is not {"name": string, "statement": string}`);
    }
  });
  return items;
}

const options = parseArgs(process.argv.slice(2));
const items = options.selfTest ? [] : readInput(options.input);
const languageSupport = await loadLanguageSupport();
const cypherVersion = `CYPHER ${options.cypherVersion}`;
const schema = dbSchema(languageSupport, cypherVersion);
const linter = {
  package: PACKAGE,
  version: languageSupport.version,
  cypherVersion,
  node: process.version,
};

const selfTestFailures = selfTest(languageSupport, schema, cypherVersion);
if (selfTestFailures.length > 0) {
  process.stdout.write(`${JSON.stringify({ linter, selfTest: selfTestFailures }, null, 2)}\n`);
  fail(EXIT.broken, `self-test failed, so the linter cannot be trusted on this Node.js (${process.version}) and package version:\n  ${selfTestFailures.join('\n  ')}`);
}
if (options.selfTest) {
  process.stdout.write(`${JSON.stringify({ linter, selfTest: 'passed' }, null, 2)}\n`);
  process.exit(EXIT.clean);
}

const results = items.map(({ name, statement }) => ({
  name,
  diagnostics: lintOne(languageSupport, schema, cypherVersion, statement),
}));
const diagnostics = results.reduce((n, r) => n + r.diagnostics.length, 0);
process.stdout.write(`${JSON.stringify({ linter, statements: items.length, diagnostics, results }, null, 2)}\n`);
process.exitCode = diagnostics > 0 ? EXIT.diagnostics : EXIT.clean;
