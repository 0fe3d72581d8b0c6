// MiniSearch (npm, pinned in package-lock.json) on the same corpus as csec, measured
// the way a web app uses it: build the index once (at publish time), ship it as JSON,
// then on the device load it and search. Run by tests/benches/compare.rs:
//
//   node minisearch.mjs build OBJECTS_DIR INDEX_FILE
//       indexes every bundle object (title, number, summary, body), writes the
//       serialised index; prints {"docs", "build_ms", "serialise_ms", "index_bytes"}
//   node minisearch.mjs query INDEX_FILE QUERIES_FILE ROUNDS
//       in a fresh process: loads the index, then runs every query once to warm up and
//       ROUNDS times timed; prints {"load_ms", "queries": [{"q", "hits", "ms": [...]}]}
//   node minisearch.mjs first INDEX_FILE QUERY
//       a cold start: load the index, run one query, print the first result and exit
//       (the caller times the whole process)
//
// The options match what csec's search does, so both do the same work: every term
// must match (AND), the last term is a prefix once it has two characters (as you
// type), accents are folded (policía finds policia), and title and number weigh most.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import MiniSearch from 'minisearch';

const OPTIONS = {
  idField: 'id',
  fields: ['title', 'number', 'summary', 'body'],
  storeFields: ['title', 'kind'],
  processTerm: (term) => term.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase() || null,
  searchOptions: {
    combineWith: 'AND',
    prefix: (term, index, terms) => index === terms.length - 1 && term.length >= 2,
    boost: { title: 10, number: 10, summary: 2 },
  },
};

function build(objectsDir, indexFile) {
  const started = performance.now();
  const documents = readdirSync(objectsDir).sort().map((name) => {
    const item = JSON.parse(readFileSync(join(objectsDir, name), 'utf8'));
    return {
      id: item.id,
      kind: item.kind,
      title: item.title,
      number: item.number ?? '',
      summary: item.summary,
      body: item.body ?? '',
    };
  });
  const index = new MiniSearch(OPTIONS);
  index.addAll(documents);
  const built = performance.now();
  const json = JSON.stringify(index);
  writeFileSync(indexFile, json);
  const written = performance.now();
  console.log(JSON.stringify({
    docs: documents.length,
    build_ms: built - started,
    serialise_ms: written - built,
    index_bytes: Buffer.byteLength(json),
  }));
}

function load(indexFile) {
  return MiniSearch.loadJSON(readFileSync(indexFile, 'utf8'), OPTIONS);
}

function query(indexFile, queriesFile, rounds) {
  const started = performance.now();
  const index = load(indexFile);
  const loadMs = performance.now() - started;
  const { queries } = JSON.parse(readFileSync(queriesFile, 'utf8'));
  const results = queries.map(({ q }) => {
    const hits = index.search(q).length;
    const ms = [];
    for (let round = 0; round < rounds; round += 1) {
      const t = performance.now();
      const top = index.search(q).slice(0, 20);
      ms.push(performance.now() - t);
      if (top.length > hits) throw new Error('unstable results');
    }
    return { q, hits, ms };
  });
  console.log(JSON.stringify({ load_ms: loadMs, queries: results }));
}

function first(indexFile, q) {
  const started = performance.now();
  const index = load(indexFile);
  const loaded = performance.now();
  const hits = index.search(q).slice(0, 20);
  const searched = performance.now();
  console.log(JSON.stringify({
    first: hits[0]?.id ?? null,
    title: hits[0]?.title ?? null,
    load_ms: loaded - started,
    search_ms: searched - loaded,
  }));
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'build' && args.length === 2) {
  build(args[0], args[1]);
} else if (mode === 'query' && args.length === 3) {
  query(args[0], args[1], Number(args[2]));
} else if (mode === 'first' && args.length === 2) {
  first(args[0], args[1]);
} else {
  console.error('usage: node minisearch.mjs build OBJECTS_DIR INDEX_FILE | query INDEX_FILE QUERIES_FILE ROUNDS | first INDEX_FILE QUERY');
  process.exit(2);
}
