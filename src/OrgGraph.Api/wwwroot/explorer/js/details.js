// The right-hand panel: an organisation (details, names, roles and aliases over time, sources, relationships with
// their sources and confidence) or one relationship of the drawing.

import { el, period, words, sourceLink } from './format.js';

function badges(...values) {
  return el('div', { class: 'badges' }, values.filter(Boolean).map(([text, cls, title]) => el('span', { class: `badge ${cls ?? ''}`, title }, text)));
}

function sourceList(sources) {
  if (!sources?.length) return el('p', { class: 'muted' }, 'No source given.');
  return el('ul', { class: 'sources' }, sources.map((source) => el('li', {}, sourceLink(source),
    source.publisher ? el('span', { class: 'muted' }, ` — ${source.publisher}`) : null)));
}

function sourcesInline(sources) {
  if (!sources?.length) return '';
  const parts = [];
  sources.forEach((source, i) => {
    if (i > 0) parts.push(', ');
    parts.push(sourceLink(source));
  });
  return el('span', { class: 'muted' }, parts);
}

/** Sources as numbered links, [1] [2], each titled: for tables where whole titles would crowd the rows. */
function sourcesNumbered(sources) {
  if (!sources?.length) return '';
  return el('span', { class: 'source-numbers' }, sources.map((source, i) => {
    const label = `[${i + 1}]`;
    const title = [source.title, source.url].filter(Boolean).join(' — ');
    return source.url && /^https?:\/\//i.test(source.url)
      ? el('a', { href: source.url, target: '_blank', rel: 'noopener noreferrer', title }, label)
      : el('span', { title }, label);
  }));
}

function timeline(title, columns, rows) {
  if (!rows?.length) return null;
  return [
    el('h3', {}, title),
    el('table', { class: 'timeline' },
      el('thead', {}, el('tr', {}, columns.map(([heading]) => el('th', {}, heading)))),
      el('tbody', {}, rows.map((row) => el('tr', {}, columns.map(([, cell]) => el('td', {}, cell(row))))))),
  ];
}

function properties(list) {
  if (!list?.length) return null;
  return el('dl', { class: 'facts' }, list.flatMap((p) => [el('dt', {}, p.key), el('dd', {}, p.value ?? '—')]));
}

function orgButton(org, handlers) {
  return el('button', { type: 'button', class: 'link', title: `${org.id}: show its details`, onclick: () => handlers.onShow(org.id) }, org.name);
}

/** One relationship as a list item, seen from the organisation `selfId`. */
function relationshipItem(rel, selfId, handlers) {
  const outgoing = rel.from.id === selfId;
  const other = outgoing ? rel.to : rel.from;
  const head = outgoing
    ? [el('span', { class: 'rel-type' }, rel.type), ' → ', orgButton(other, handlers)]
    : [orgButton(other, handlers), ' ', el('span', { class: 'rel-type' }, rel.type), ' → this'];
  return el('li', {},
    el('div', { class: 'rel-head' }, head),
    el('div', { class: 'muted' }, `${period(rel.validFrom, rel.validTo)} · ${rel.confidence}`,
      rel.properties?.length ? ` · ${rel.properties.map((p) => `${p.key}: ${p.value}`).join('; ')}` : ''),
    rel.sources?.length ? el('div', {}, 'Sources: ', sourcesInline(rel.sources)) : el('div', { class: 'muted' }, 'No source given.'));
}

/**
 * Renders an organisation. page: its first page of relationships ({ totalCount, pageInfo, nodes }).
 * handlers: onShow(id), onOpen(id), onExpand(id), onAsk(query, id), onConnect('from'|'to', id), onMore(id, after, list).
 */
export function renderOrganisation(panel, org, handlers, asOf) {
  const page = org.relationships;
  const list = el('ul', { class: 'relationships' }, page.nodes.map((rel) => relationshipItem(rel, org.id, handlers)));
  const count = el('p', { class: 'muted' });
  const setCount = (shown) => {
    count.textContent = `${shown} of ${page.totalCount}${asOf ? ` valid on ${asOf}` : ''}`;
  };
  setCount(page.nodes.length);
  let after = page.pageInfo.endCursor;
  let shown = page.nodes.length;
  const more = page.pageInfo.hasNextPage
    ? el('button', {
      type: 'button', class: 'more', onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        const next = await handlers.onMore(org.id, after);
        button.disabled = false;
        if (!next) return;
        for (const rel of next.nodes) list.append(relationshipItem(rel, org.id, handlers));
        shown += next.nodes.length;
        setCount(shown);
        after = next.pageInfo.endCursor;
        if (!next.pageInfo.hasNextPage) button.remove();
      },
    }, 'Show and draw more')
    : null;

  panel.replaceChildren(...[
    el('h2', { class: 'details-title', id: 'details-title' }, org.name),
    badges([org.id, 'id', 'Id'], [words(org.kind), org.kind, 'Kind'], [words(org.sector), org.sector, 'Sector'],
      [org.confidence, org.confidence, 'How its existence is established']),
    el('dl', { class: 'facts' },
      el('dt', {}, 'Valid'), el('dd', {}, period(org.validFrom, org.validTo)),
      org.parent ? [el('dt', {}, asOf ? `Part of (${asOf})` : 'Part of'), el('dd', {}, orgButton(org.parent, handlers))] : null),
    el('div', { class: 'actions' },
      el('button', { type: 'button', onclick: () => handlers.onOpen(org.id), title: 'Draw this organisation and its relationships afresh' }, 'Draw neighbourhood'),
      el('button', { type: 'button', onclick: () => handlers.onExpand(org.id), title: 'Add its relationships to the drawing' }, 'Expand'),
      el('button', { type: 'button', onclick: () => handlers.onAsk('whoControls', org.id) }, 'Who controls it?'),
      el('button', { type: 'button', onclick: () => handlers.onAsk('controlledBy', org.id) }, 'What it controls'),
      el('button', { type: 'button', onclick: () => handlers.onAsk('privatisationPaths', org.id) }, 'Privatisation paths'),
      el('button', { type: 'button', onclick: () => handlers.onConnect('from', org.id), title: 'Use as the first organisation of a connections question' }, 'Connect from'),
      el('button', { type: 'button', onclick: () => handlers.onConnect('to', org.id), title: 'Use as the second organisation of a connections question' }, 'Connect to')),
    properties(org.properties) ? [el('h3', {}, 'Properties'), properties(org.properties)] : null,
    timeline('Names', [['Name', (r) => r.name], ['Valid', (r) => period(r.validFrom, r.validTo)], ['Sources', (r) => sourcesNumbered(r.sources)]], org.names),
    timeline('Roles', [['Role', (r) => r.role], ['Valid', (r) => period(r.validFrom, r.validTo)], ['Sources', (r) => sourcesNumbered(r.sources)]], org.roles),
    timeline('Codes', [['Code', (r) => r.value], ['Scheme', (r) => r.scheme], ['Valid', (r) => period(r.validFrom, r.validTo)], ['Sources', (r) => sourcesNumbered(r.sources)]], org.aliases),
    el('h3', {}, 'Sources'),
    sourceList(org.sources),
    el('h3', {}, 'Relationships'),
    count,
    list,
    more,
  ].flat(2).filter(Boolean));
}

/** Renders one drawn relationship. handlers: onShow(id). */
export function renderEdge(panel, edge, model, handlers) {
  const from = model.nodes.get(edge.from) ?? { id: edge.from, name: edge.from };
  const to = model.nodes.get(edge.to) ?? { id: edge.to, name: edge.to };
  panel.replaceChildren(...[
    el('h2', { class: 'details-title', id: 'details-title' }, words(edge.type)),
    el('p', {}, orgButton(from, handlers), ' ', el('span', { class: 'rel-type' }, edge.type), ' ', orgButton(to, handlers)),
    badges([edge.confidence, edge.confidence, 'How the relationship is established'],
      edge.controlKind ? [`${words(edge.controlKind)} control`, '', 'The control the relationship confers'] : null,
      edge.influenceOnly ? ['influence only (50% or less)', 'REPORTED'] : null),
    el('dl', { class: 'facts' }, el('dt', {}, 'Valid'), el('dd', {}, period(edge.validFrom, edge.validTo))),
    edge.properties?.length ? [el('h3', {}, 'Properties'), properties(edge.properties)] : null,
    el('h3', {}, 'Sources'),
    edge.sources === undefined ? el('p', { class: 'muted' }, 'Reading its sources…') : sourceList(edge.sources),
  ].flat(2).filter(Boolean));
}

export function renderMessage(panel, text) {
  panel.replaceChildren(el('p', { class: 'hint' }, text));
}
