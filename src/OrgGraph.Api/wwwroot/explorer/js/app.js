// The explorer page: search, open an organisation, draw and expand its neighbourhood, ask path questions, export.
// Everything it shows comes from the public GraphQL API (api.js); the drawing is Cytoscape.js (view.js).
//
// The address keeps what is shown (#org=F83056&asOf=2022-06-01, or #q=privatisationPaths&from=F83056&...), so a
// view can be bookmarked or shared.

import { graphql } from './api.js';
import * as Q from './queries.js';
import { GraphModel } from './model.js';
import { GraphView, kindShape, sectorColour, SECTOR_COLOURS, CONFIDENCE_LINES } from './view.js';
import { download, shapeSvg, toCsv, toGraphML, toPng, toSvg } from './exporting.js';
import { renderEdge, renderMessage, renderOrganisation } from './details.js';
import { el, period, slug, words } from './format.js';

if (!window.cytoscape) {
  // The libraries are copied from npm at build time; without npm the build leaves them out (see missing.html).
  window.location.replace('/explorer/missing.html');
  throw new Error('Cytoscape.js is not in this build.');
}
if (!cytoscape('layout', 'dagre') && window.cytoscapeDagre) {
  cytoscape.use(window.cytoscapeDagre);
}

const $ = (id) => document.getElementById(id);
const ui = {
  search: $('search'),
  results: $('search-results'),
  asOf: $('as-of'),
  form: $('query-form'),
  kind: $('query-kind'),
  from: $('query-from'),
  fromLabel: $('query-from-label'),
  to: $('query-to'),
  toField: $('query-to-field'),
  maxHops: $('query-max-hops'),
  includeBids: $('query-include-bids'),
  bidsField: $('query-bids-field'),
  queryStatus: $('query-status'),
  pathList: $('path-list'),
  graphStatus: $('graph-status'),
  graphHint: $('graph-hint'),
  legend: $('legend'),
  details: $('details'),
};

const model = new GraphModel();
const view = new GraphView($('cy'), {
  onNode: (id) => { view.select(id); showOrganisation(id); },
  onEdge: (key) => { view.select(key); showEdge(key); },
  onExpand: (id) => expand(id),
  onBackground: () => selectPath(null),
});
// For debugging in the console and for the browser tests: the Cytoscape instance and the model drawn.
window.cy = view.cy;
window.explorer = { cy: view.cy, model };

const state = {
  /** The date of every question (yyyy-mm-dd), or '' for any date. */
  asOf: '',
  /** What the graph shows, asked again when the date changes: { kind: 'organisation', id } or { kind: 'query', ... }. */
  current: null,
  /** The drawing in words, for exports: "Who controls THE MITCHISON ROAD SURGERY (F83056)". */
  description: '',
  /** The start of export file names: "whoControls-F83056". */
  fileStem: '',
  /** The paths drawn: [{ path, nodeIds, edgeKeys }]. */
  paths: [],
  selectedPath: null,
  /** The relationship whose details are shown, if any. */
  shownEdge: null,
  /** Settles when the sources of every drawn path step have been read. */
  citations: Promise.resolve(),
};

// Answers that arrive after a newer request for the same place are dropped.
let graphToken = 0;
let detailsToken = 0;

function setStatus(element, text, kind = '') {
  element.textContent = text;
  element.className = `status ${element === ui.graphStatus ? 'graph-status ' : ''}${kind}`;
}

function describeError(error) {
  if (error?.name === 'AbortError') return '';
  if (error?.code === 'RATE_LIMITED') return 'The API is busy (rate limit); try again in a moment.';
  if (error?.code) return `${error.message} (${error.code})`;
  return `The API could not be reached: ${error?.message ?? error}`;
}

function asOfOrNull() {
  return state.asOf || null;
}

function updateAddress() {
  const params = new URLSearchParams();
  const current = state.current;
  if (current?.kind === 'organisation') {
    params.set('org', current.id);
  } else if (current?.kind === 'query') {
    params.set('q', current.query);
    params.set('from', current.from);
    if (current.to) params.set('to', current.to);
    params.set('maxHops', String(current.maxHops));
    if (current.includeBids) params.set('bids', '1');
  }
  if (state.asOf) params.set('asOf', state.asOf);
  const hash = params.toString();
  window.history.replaceState(null, '', hash ? `#${hash}` : window.location.pathname);
}

// ---------------------------------------------------------------- drawing

function redraw({ near } = {}) {
  view.sync(model, { near });
  ui.graphHint.hidden = !model.isEmpty;
  renderLegend();
}

function renderLegend() {
  const kinds = [...new Set([...model.nodes.values()].map((n) => n.kind))].sort();
  const sectors = Object.keys(SECTOR_COLOURS).filter((s) => [...model.nodes.values()].some((n) => n.sector === s));
  const confidences = Object.keys(CONFIDENCE_LINES).filter((c) => [...model.edges.values()].some((e) => e.confidence === c));
  if (kinds.length === 0) {
    ui.legend.replaceChildren();
    ui.legend.hidden = true;
    return;
  }
  const icon = (svg) => {
    const span = el('span', { 'aria-hidden': 'true' });
    span.innerHTML = svg; // built from constants only, never from API data
    return span.firstChild;
  };
  const shapeIcon = (shape, fill) => icon(`<svg width="14" height="14" viewBox="0 0 14 14">${shapeSvg(shape, 7, 7, 12, 12, `fill="${fill}"`)}</svg>`);
  const lineIcon = (style) => icon(`<svg width="22" height="8" viewBox="0 0 22 8"><line x1="1" y1="4" x2="21" y2="4" stroke="#57606a" stroke-width="2"${{ dashed: ' stroke-dasharray="5 3"', dotted: ' stroke-dasharray="1.5 2.5"' }[style] ?? ''}/></svg>`);
  ui.legend.hidden = false;
  ui.legend.replaceChildren(
    el('div', { class: 'legend-title' }, 'Sector (colour)'),
    el('ul', {}, sectors.map((s) => el('li', {}, shapeIcon('ellipse', sectorColour(s)), words(s)))),
    el('div', { class: 'legend-title' }, 'Kind (shape)'),
    el('ul', {}, kinds.map((k) => el('li', {}, shapeIcon(kindShape(k), '#8c959f'), words(k)))),
    confidences.length ? el('div', { class: 'legend-title' }, 'Confidence (line)') : null,
    confidences.length ? el('ul', {}, confidences.map((c) => el('li', {}, lineIcon(CONFIDENCE_LINES[c]), c))) : null,
  );
}

function clearPaths() {
  state.paths = [];
  state.selectedPath = null;
  ui.pathList.replaceChildren();
}

function clearAll() {
  graphToken++;
  model.clear();
  view.clear();
  clearPaths();
  state.current = null;
  state.description = '';
  state.fileStem = '';
  state.citations = Promise.resolve();
  setStatus(ui.graphStatus, '');
  setStatus(ui.queryStatus, '');
  redraw();
  updateAddress();
}

// ---------------------------------------------------------------- search

let searchTimer = 0;
let searchController = null;
let searchResults = [];
let activeResult = -1;

function hideResults() {
  ui.results.hidden = true;
  ui.search.setAttribute('aria-expanded', 'false');
  activeResult = -1;
}

function renderResults(results, message) {
  searchResults = results;
  activeResult = results.length ? 0 : -1;
  const items = results.map((org, i) => el('li', {
    role: 'option',
    id: `result-${i}`,
    'aria-selected': i === activeResult ? 'true' : 'false',
    dataset: { id: org.id },
    onmousedown: (event) => { event.preventDefault(); chooseResult(i); },
  }, el('div', {}, org.name), el('div', { class: 'meta' }, `${org.id} · ${words(org.kind)} · ${words(org.sector)} · ${period(org.validFrom, org.validTo)}`)));
  if (message) items.push(el('li', { class: 'empty' }, message));
  ui.results.replaceChildren(...items);
  ui.results.hidden = items.length === 0;
  ui.search.setAttribute('aria-expanded', String(!ui.results.hidden));
}

function moveActive(delta) {
  if (!searchResults.length) return;
  activeResult = (activeResult + delta + searchResults.length) % searchResults.length;
  [...ui.results.children].forEach((li, i) => li.setAttribute('aria-selected', i === activeResult ? 'true' : 'false'));
  ui.search.setAttribute('aria-activedescendant', `result-${activeResult}`);
}

async function runSearch() {
  const text = ui.search.value.trim();
  searchController?.abort();
  if (text.length < 2) {
    hideResults();
    return [];
  }
  const controller = new AbortController();
  searchController = controller;
  try {
    const data = await graphql(Q.SEARCH, { text }, { signal: controller.signal });
    if (controller !== searchController) return [];
    renderResults(data.search, data.search.length ? null : `Nothing matches “${text}”.`);
    return data.search;
  } catch (error) {
    if (controller === searchController && error.name !== 'AbortError') renderResults([], describeError(error));
    return [];
  }
}

function chooseResult(i) {
  const org = searchResults[i];
  if (!org) return;
  hideResults();
  ui.search.value = org.name;
  openOrganisation(org.id);
}

ui.search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 250); // one request per pause in typing, not per keystroke
});
ui.search.addEventListener('keydown', async (event) => {
  if (event.key === 'ArrowDown') { event.preventDefault(); moveActive(1); }
  if (event.key === 'ArrowUp') { event.preventDefault(); moveActive(-1); }
  if (event.key === 'Escape') hideResults();
  if (event.key === 'Enter') {
    event.preventDefault();
    if (ui.results.hidden || !searchResults.length) {
      clearTimeout(searchTimer);
      const results = await runSearch();
      if (results.length) chooseResult(0);
    } else {
      chooseResult(Math.max(activeResult, 0));
    }
  }
});
ui.search.addEventListener('blur', () => setTimeout(hideResults, 150));

// ---------------------------------------------------------------- organisations

const detailsHandlers = {
  onShow: (id) => { view.select(id); showOrganisation(id); },
  onOpen: (id) => openOrganisation(id),
  onExpand: (id) => expand(id),
  onAsk: (query, id) => ask(query, id),
  onConnect: (end, id) => {
    ui.kind.value = 'connections';
    (end === 'from' ? ui.from : ui.to).value = id;
    updateForm();
    (end === 'from' ? ui.to : ui.from).focus();
  },
  onMore: (id, after) => more(id, after),
};

/** Draws an organisation's neighbourhood afresh and shows its details. */
async function openOrganisation(id) {
  const token = ++graphToken;
  const detailsFor = ++detailsToken;
  setStatus(ui.graphStatus, `Opening ${id}…`, 'busy');
  try {
    const { organisation: org } = await graphql(Q.ORGANISATION, { id, asOf: asOfOrNull() });
    if (token !== graphToken) return;
    if (!org) {
      setStatus(ui.graphStatus, `Nothing has the id or code ${id}.`, 'error');
      return;
    }
    model.clear();
    view.clear();
    clearPaths();
    setStatus(ui.queryStatus, '');
    model.addOrganisation(org);
    for (const rel of org.relationships.nodes) model.addRelationship(rel);
    redraw();
    view.setFocus(org.id);
    view.layoutNeighbourhood(org.id, { fresh: true });
    state.current = { kind: 'organisation', id: org.id };
    state.description = `${org.name} (${org.id}) and its relationships`;
    state.fileStem = `organisation-${org.id}`;
    state.citations = Promise.resolve();
    const { totalCount } = org.relationships;
    setStatus(ui.graphStatus, `${org.name}: ${org.relationships.nodes.length} of ${totalCount} relationships drawn${state.asOf ? ` (valid on ${state.asOf})` : ''}.`);
    if (!ui.from.value || ui.kind.value !== 'connections') ui.from.value = org.id;
    if (detailsFor === detailsToken) {
      state.shownEdge = null;
      renderOrganisation(ui.details, org, detailsHandlers, state.asOf);
    }
    updateAddress();
  } catch (error) {
    if (token === graphToken) setStatus(ui.graphStatus, describeError(error), 'error');
  }
}

/** Shows an organisation's details without changing the drawing. */
async function showOrganisation(id) {
  const token = ++detailsToken;
  state.shownEdge = null;
  renderMessage(ui.details, `Reading ${id}…`);
  try {
    const { organisation: org } = await graphql(Q.ORGANISATION, { id, asOf: asOfOrNull() });
    if (token !== detailsToken) return;
    if (!org) {
      renderMessage(ui.details, `Nothing has the id or code ${id}.`);
      return;
    }
    renderOrganisation(ui.details, org, detailsHandlers, state.asOf);
  } catch (error) {
    if (token === detailsToken) renderMessage(ui.details, describeError(error));
  }
}

/** Adds a node's relationships (first page) to the drawing. */
async function expand(id) {
  const token = graphToken;
  setStatus(ui.graphStatus, `Expanding ${id}…`, 'busy');
  try {
    const { organisation: org } = await graphql(Q.RELATIONSHIPS, { id, asOf: asOfOrNull(), after: null });
    if (token !== graphToken || !org) return;
    const before = model.nodes.size;
    model.addOrganisation(org);
    for (const rel of org.relationships.nodes) model.addRelationship(rel);
    redraw({ near: org.id });
    if (view.mode === 'neighbourhood') view.layoutNeighbourhood(view.focusId ?? org.id);
    else view.relayout();
    if (state.description && !state.description.includes(`expanded`)) state.description += ', expanded';
    setStatus(ui.graphStatus, `${org.name}: ${org.relationships.nodes.length} of ${org.relationships.totalCount} relationships drawn, ${model.nodes.size - before} new organisations.`);
  } catch (error) {
    setStatus(ui.graphStatus, describeError(error), 'error');
  }
}

/** The next page of an organisation's relationships, drawn too; returns the page for the details list. */
async function more(id, after) {
  try {
    const { organisation: org } = await graphql(Q.RELATIONSHIPS, { id, asOf: asOfOrNull(), after });
    if (!org) return null;
    if (model.nodes.has(org.id)) {
      for (const rel of org.relationships.nodes) model.addRelationship(rel);
      redraw({ near: org.id });
      view.relayout();
    }
    return org.relationships;
  } catch (error) {
    setStatus(ui.graphStatus, describeError(error), 'error');
    return null;
  }
}

function showEdge(key) {
  const edge = model.edges.get(key);
  if (!edge) return;
  detailsToken++;
  state.shownEdge = key;
  renderEdge(ui.details, edge, model, detailsHandlers);
}

// ---------------------------------------------------------------- path questions

function updateForm() {
  const spec = Q.PATH_QUERIES[ui.kind.value];
  ui.toField.hidden = !spec.needsTo;
  ui.to.required = spec.needsTo;
  ui.bidsField.hidden = ui.kind.value !== 'privatisationPaths';
  ui.fromLabel.textContent = spec.needsTo ? 'Between' : 'Organisation';
}

ui.kind.addEventListener('change', updateForm);
ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  runQuery(readForm());
});

function readForm() {
  const maxHops = Math.min(10, Math.max(1, Number.parseInt(ui.maxHops.value, 10) || 8));
  ui.maxHops.value = String(maxHops);
  const query = ui.kind.value;
  return {
    kind: 'query',
    query,
    from: ui.from.value.trim(),
    to: Q.PATH_QUERIES[query].needsTo ? ui.to.value.trim() : '',
    maxHops,
    includeBids: query === 'privatisationPaths' && ui.includeBids.checked,
  };
}

function fillForm(question) {
  ui.kind.value = question.query;
  ui.from.value = question.from;
  ui.to.value = question.to ?? '';
  ui.maxHops.value = String(question.maxHops ?? 8);
  ui.includeBids.checked = Boolean(question.includeBids);
  updateForm();
}

function ask(query, id) {
  const question = { ...readForm(), query, from: id, to: '', includeBids: false };
  fillForm(question);
  runQuery(question);
}

const nameOf = (id) => model.nodes.get(id)?.name ?? id;

async function runQuery(question) {
  const spec = Q.PATH_QUERIES[question.query];
  if (!question.from || (spec.needsTo && !question.to)) {
    setStatus(ui.queryStatus, spec.needsTo ? 'Give both organisations (ids or codes).' : 'Give an organisation (an id or code).', 'error');
    return;
  }
  const token = ++graphToken;
  setStatus(ui.queryStatus, 'Asking…', 'busy');
  setStatus(ui.graphStatus, '');
  const variables = { from: question.from, asOf: asOfOrNull(), maxHops: question.maxHops };
  if (spec.needsTo) variables.to = question.to;
  if (question.query === 'privatisationPaths') variables.includeBids = question.includeBids;
  try {
    const { paths } = await graphql(spec.document, variables);
    if (token !== graphToken) return;
    model.clear();
    view.clear();
    clearPaths();
    state.paths = paths.map((path) => ({ path, ...model.addPath(path) }));
    redraw();
    state.current = question;
    const subject = paths[0] ? (question.query === 'whoControls' ? paths[0].nodes.at(-1) : paths[0].nodes[0]) : null;
    const subjectText = subject ? `${subject.name} (${subject.id})` : question.from;
    state.description = question.query === 'connections' && paths[0]
      ? `Connections between ${subjectText} and ${paths[0].nodes.at(-1).name} (${paths[0].nodes.at(-1).id})`
      : `${spec.title} ${subjectText}`;
    state.fileStem = [question.query, question.from, question.to].filter(Boolean).join('-');
    updateAddress();
    if (paths.length === 0) {
      setStatus(ui.queryStatus, `No path found${state.asOf ? ` on ${state.asOf}` : ''}. Try another date, any date, or more steps.`);
      return;
    }
    view.setFocus(subject?.id);
    view.markFirstPrivate(paths.filter((p) => p.firstPrivateIndex != null).map((p) => p.nodes[p.firstPrivateIndex].id));
    view.layoutPaths(state.paths);
    renderPathList(question);
    setStatus(ui.queryStatus, `${state.description}: ${paths.length} ${paths.length === 1 ? 'path' : 'paths'}${state.asOf ? ` on ${state.asOf}` : ''}.`);
    state.citations = loadCitations(token);
  } catch (error) {
    if (token === graphToken) setStatus(ui.queryStatus, describeError(error), 'error');
  }
}

function renderPathList(question) {
  const items = state.paths.map(({ path }, i) => {
    const names = [];
    path.nodes.forEach((org, j) => {
      if (j > 0) names.push(el('span', { class: 'arrow' }, ` —${path.steps[j - 1].type}→ `));
      names.push(el('span', { class: j === path.firstPrivateIndex ? 'private' : '', title: `${org.id}, ${words(org.kind)}, ${words(org.sector)}` }, org.name));
    });
    return el('li', {
      tabindex: '0',
      dataset: { index: String(i) },
      onclick: () => selectPath(state.selectedPath === i ? null : i),
      onkeydown: (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); selectPath(state.selectedPath === i ? null : i); } },
    },
    el('div', { class: 'path-meta' }, `${path.length} ${path.length === 1 ? 'step' : 'steps'} · ${period(path.validFrom, path.validTo)}`),
    el('span', { class: 'path-nodes' }, names));
  });
  ui.pathList.replaceChildren(...items);
  ui.pathList.dataset.query = question.query;
}

function selectPath(index) {
  state.selectedPath = index;
  [...ui.pathList.children].forEach((li, i) => li.classList.toggle('selected', i === index));
  if (index === null || !state.paths[index]) {
    view.highlight();
    return;
  }
  const { nodeIds, edgeKeys } = state.paths[index];
  view.highlight(nodeIds, edgeKeys);
}

/**
 * Reads the sources (and properties) of every drawn relationship that came from a path step: the outgoing
 * relationships of each `from` organisation, of the drawn types, a few organisations per request.
 */
async function loadCitations(token) {
  let groups = [];
  const byFrom = new Map();
  for (const edge of model.edgesWithoutSources()) {
    if (!byFrom.has(edge.from)) byFrom.set(edge.from, new Set());
    byFrom.get(edge.from).add(edge.type);
  }
  groups = [...byFrom].map(([id, types]) => ({ id, types: [...types].sort(), after: null }));
  if (groups.length === 0) return;
  setStatus(ui.graphStatus, `Reading the sources of ${model.edgesWithoutSources().length} relationships…`, 'busy');
  try {
    for (let round = 0; groups.length && round < 10; round++) {
      const next = [];
      for (let i = 0; i < groups.length; i += Q.CITATION_GROUPS_PER_REQUEST) {
        const batch = groups.slice(i, i + Q.CITATION_GROUPS_PER_REQUEST);
        const { query, variables } = Q.citationsQuery(batch, state.asOf);
        const data = await graphql(query, variables);
        if (token !== graphToken) return;
        batch.forEach((group, j) => {
          const page = data[`o${j}`]?.relationships;
          if (!page) return;
          for (const rel of page.nodes) model.addCitations(rel, group.id);
          const stillMissing = model.edgesWithoutSources().some((edge) => edge.from === group.id);
          if (stillMissing && page.pageInfo.hasNextPage) next.push({ ...group, after: page.pageInfo.endCursor });
        });
      }
      groups = next;
    }
    const missing = model.edgesWithoutSources();
    setStatus(ui.graphStatus, missing.length ? `The sources of ${missing.length} relationships could not be read.` : '');
    if (state.shownEdge) showEdge(state.shownEdge);
  } catch (error) {
    if (token === graphToken) setStatus(ui.graphStatus, `Sources: ${describeError(error)}`, 'error');
  }
}

// ---------------------------------------------------------------- date

function setAsOf(value) {
  state.asOf = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '';
  ui.asOf.value = state.asOf;
  const current = state.current;
  if (current?.kind === 'organisation') openOrganisation(current.id);
  else if (current?.kind === 'query') runQuery(current);
  else updateAddress();
}

ui.asOf.addEventListener('change', () => setAsOf(ui.asOf.value));
$('as-of-clear').addEventListener('click', () => setAsOf(''));

// ---------------------------------------------------------------- toolbar and exports

$('fit').addEventListener('click', () => view.fit());
$('relayout').addEventListener('click', () => view.relayout());
$('clear').addEventListener('click', () => {
  clearAll();
  renderMessage(ui.details, 'Details of the organisation or relationship you open appear here, with their sources.');
});

function exportMeta() {
  return {
    description: state.description || 'OrgGraph',
    asOf: state.asOf,
    generated: new Date().toISOString(),
    origin: `${window.location.origin}/graphql`,
  };
}

const fileName = (extension) => `orggraph-${slug(state.fileStem || 'graph')}${state.asOf ? `-${state.asOf}` : ''}.${extension}`;

async function exportAs(extension, build, type) {
  if (model.isEmpty) {
    setStatus(ui.graphStatus, 'Nothing is drawn yet: open an organisation or ask a question first.', 'error');
    return;
  }
  await state.citations; // the data exports carry every relationship's sources
  download(await build(), fileName(extension), type);
}

$('export-png').addEventListener('click', () => exportAs('png', () => toPng(view.cy), 'image/png'));
$('export-svg').addEventListener('click', () => exportAs('svg', () => toSvg(view.cy, model, exportMeta()), 'image/svg+xml'));
$('export-graphml').addEventListener('click', () => exportAs('graphml', () => toGraphML(model, exportMeta()), 'application/graphml+xml'));
$('export-csv').addEventListener('click', () => exportAs('csv', () => toCsv(model), 'text/csv'));

// ---------------------------------------------------------------- start

function start() {
  updateForm();
  renderLegend();
  const params = new URLSearchParams(window.location.hash.slice(1));
  const asOf = params.get('asOf') ?? '';
  state.asOf = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : '';
  ui.asOf.value = state.asOf;
  const query = params.get('q');
  if (query && Q.PATH_QUERIES[query] && params.get('from')) {
    const question = {
      kind: 'query',
      query,
      from: params.get('from'),
      to: params.get('to') ?? '',
      maxHops: Math.min(10, Math.max(1, Number.parseInt(params.get('maxHops') ?? '8', 10) || 8)),
      includeBids: params.get('bids') === '1',
    };
    fillForm(question);
    runQuery(question);
  } else if (params.get('org')) {
    openOrganisation(params.get('org'));
  }
}

start();
