// Exports of what is drawn, made in the browser: the picture (PNG from Cytoscape, SVG drawn from the node and edge
// positions) and the data (GraphML, CSV) with the citations of every relationship: its sources' titles and links.
//
// The GraphML uses the same keys as the server's `export --format graphml` (README, Exports): organisations are
// nodes, relationships are edges listing their source ids (`sources`) and links (`sourceUrls`), and the sources are
// a second set of nodes labelled `:Source` (id `source:<id>`, no edges). Edges also carry `citations`, in words.

import { edgeLabel, kindShape, sectorColour, typeColour, confidenceLine } from './view.js';
import { wrap } from './format.js';

const GRAPHML_NS = 'http://graphml.graphdrawing.org/xmlns';

const GRAPHML_KEYS = [
  ['g_description', 'graph', 'description'],
  ['g_asOf', 'graph', 'asOf'],
  ['g_generated', 'graph', 'generated'],
  ['g_origin', 'graph', 'origin'],
  ['n_labels', 'node', 'labels'],
  ['n_label', 'node', 'label'],
  ['n_id', 'node', 'id'],
  ['n_name', 'node', 'name'],
  ['n_kind', 'node', 'kind'],
  ['n_sector', 'node', 'sector'],
  ['n_validFrom', 'node', 'validFrom'],
  ['n_validTo', 'node', 'validTo'],
  ['n_confidence', 'node', 'confidence'],
  ['n_title', 'node', 'title'],
  ['n_publisher', 'node', 'publisher'],
  ['n_url', 'node', 'url'],
  ['e_type', 'edge', 'type'],
  ['e_label', 'edge', 'label'],
  ['e_validFrom', 'edge', 'validFrom'],
  ['e_validTo', 'edge', 'validTo'],
  ['e_confidence', 'edge', 'confidence'],
  ['e_controlKind', 'edge', 'controlKind'],
  ['e_sources', 'edge', 'sources'],
  ['e_sourceUrls', 'edge', 'sourceUrls'],
  ['e_citations', 'edge', 'citations'],
  ['e_properties', 'edge', 'properties'],
];

/** "Title <url>; Title <url>" for one relationship. */
export function citations(sources) {
  return (sources ?? []).map((s) => (s.url ? `${s.title || s.id} <${s.url}>` : s.title || s.id)).join('; ');
}

function propertiesJson(properties) {
  if (!properties?.length) return '';
  return JSON.stringify(Object.fromEntries(properties.map((p) => [p.key, p.value])));
}

function kindLabel(kind) {
  return (kind ?? '')
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** A GraphML id (an XML NMTOKEN): characters outside the NMTOKEN set written as _xHHHH_, as .NET's EncodeNmToken does. */
export function graphmlId(id) {
  return String(id).replace(/[^\w.\-:\u00B7\u00C0-\uFFFF]|_(?=x[0-9A-Fa-f]{4}_)/g,
    (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

/** The drawn graph as a GraphML document (a string). meta: { description, asOf, generated, origin }. */
export function toGraphML(model, meta) {
  const doc = document.implementation.createDocument(GRAPHML_NS, 'graphml', null);
  const root = doc.documentElement;
  const element = (name) => doc.createElementNS(GRAPHML_NS, name);
  const data = (parent, key, value) => {
    if (value === null || value === undefined || value === '') return;
    const item = element('data');
    item.setAttribute('key', key);
    item.textContent = String(value);
    parent.append(item);
  };

  root.append(doc.createComment(
    ' OrgGraph explorer export. Nodes with labels :Source are the sources; every edge lists the ids of its sources in '
    + '\'sources\', their links in \'sourceUrls\' and both in words in \'citations\'. '));
  for (const [id, domain, name] of GRAPHML_KEYS) {
    const key = element('key');
    key.setAttribute('id', id);
    key.setAttribute('for', domain);
    key.setAttribute('attr.name', name);
    key.setAttribute('attr.type', 'string');
    root.append(key);
  }

  const graph = element('graph');
  graph.setAttribute('id', 'orggraph-explorer');
  graph.setAttribute('edgedefault', 'directed');
  root.append(graph);
  data(graph, 'g_description', `OrgGraph explorer: ${meta.description}`);
  data(graph, 'g_asOf', meta.asOf);
  data(graph, 'g_generated', meta.generated);
  data(graph, 'g_origin', meta.origin);

  for (const org of model.nodes.values()) {
    const node = element('node');
    node.setAttribute('id', graphmlId(org.id));
    data(node, 'n_labels', `:Organisation:${kindLabel(org.kind)}`);
    data(node, 'n_label', org.name);
    data(node, 'n_id', org.id);
    data(node, 'n_name', org.name);
    data(node, 'n_kind', org.kind);
    data(node, 'n_sector', org.sector);
    data(node, 'n_validFrom', org.validFrom);
    data(node, 'n_validTo', org.validTo);
    data(node, 'n_confidence', org.confidence);
    graph.append(node);
  }

  for (const source of model.citedSources().values()) {
    const node = element('node');
    node.setAttribute('id', `source:${graphmlId(source.id)}`);
    data(node, 'n_labels', ':Source');
    data(node, 'n_label', source.title);
    data(node, 'n_id', source.id);
    data(node, 'n_title', source.title);
    data(node, 'n_publisher', source.publisher);
    data(node, 'n_url', source.url);
    graph.append(node);
  }

  let index = 0;
  for (const rel of model.edges.values()) {
    const edge = element('edge');
    edge.setAttribute('id', `e${index++}`);
    edge.setAttribute('source', graphmlId(rel.from));
    edge.setAttribute('target', graphmlId(rel.to));
    data(edge, 'e_type', rel.type);
    data(edge, 'e_label', rel.type);
    data(edge, 'e_validFrom', rel.validFrom);
    data(edge, 'e_validTo', rel.validTo);
    data(edge, 'e_confidence', rel.confidence);
    data(edge, 'e_controlKind', rel.controlKind);
    data(edge, 'e_sources', (rel.sources ?? []).map((s) => s.id).join(';'));
    data(edge, 'e_sourceUrls', (rel.sources ?? []).map((s) => s.url).filter(Boolean).join(' '));
    data(edge, 'e_citations', citations(rel.sources));
    data(edge, 'e_properties', propertiesJson(rel.properties));
    graph.append(edge);
  }

  // One element a line: <data> holds text only, so '><' occurs only between tags (text has '<' and '>' escaped).
  const text = new XMLSerializer().serializeToString(doc).replace(/></g, '>\n<');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${text}\n`;
}

const CSV_COLUMNS = [
  'from_id', 'from_name', 'from_kind', 'from_sector', 'type', 'to_id', 'to_name', 'to_kind', 'to_sector',
  'valid_from', 'valid_to', 'confidence', 'control_kind', 'properties', 'source_ids', 'source_titles', 'source_urls',
];

function csvField(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The drawn relationships as CSV (RFC 4180, a header row), one per line with both ends and its citations. */
export function toCsv(model) {
  const lines = [CSV_COLUMNS.join(',')];
  for (const rel of model.edges.values()) {
    const from = model.nodes.get(rel.from) ?? {};
    const to = model.nodes.get(rel.to) ?? {};
    const sources = rel.sources ?? [];
    lines.push([
      rel.from, from.name, from.kind, from.sector, rel.type, rel.to, to.name, to.kind, to.sector,
      rel.validFrom, rel.validTo, rel.confidence, rel.controlKind, propertiesJson(rel.properties),
      sources.map((s) => s.id).join(';'), sources.map((s) => s.title ?? '').join(';'), sources.map((s) => s.url ?? '').join(' '),
    ].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** The points of a Cytoscape node shape, as fractions of its half width and half height; null for an ellipse. */
export function shapePoints(shape) {
  const regular = (n, rotation = -Math.PI / 2) => Array.from({ length: n }, (_, i) => {
    const angle = rotation + (i * 2 * Math.PI) / n;
    return [Math.cos(angle), Math.sin(angle)];
  });
  switch (shape) {
    case 'rectangle': case 'round-rectangle': case 'barrel':
      return [[-1, -1], [1, -1], [1, 1], [-1, 1]];
    case 'cut-rectangle':
      return [[-0.6, -1], [0.6, -1], [1, -0.6], [1, 0.6], [0.6, 1], [-0.6, 1], [-1, 0.6], [-1, -0.6]];
    case 'concave-hexagon':
      return [[-1, -1], [1, -1], [0.75, 0], [1, 1], [-1, 1], [-0.75, 0]];
    case 'triangle':
      return [[0, -1], [1, 1], [-1, 1]];
    case 'diamond': case 'round-diamond':
      return [[0, -1], [1, 0], [0, 1], [-1, 0]];
    case 'pentagon':
      return regular(5);
    case 'hexagon':
      return regular(6, 0);
    case 'octagon':
      return regular(8, Math.PI / 8);
    case 'star':
      return Array.from({ length: 10 }, (_, i) => {
        const angle = -Math.PI / 2 + (i * Math.PI) / 5;
        const r = i % 2 === 0 ? 1 : 0.45;
        return [r * Math.cos(angle), r * Math.sin(angle)];
      });
    case 'vee':
      return [[-1, -1], [0, -0.33], [1, -1], [0, 1]];
    case 'rhomboid':
      return [[-1, -1], [0.33, -1], [1, 1], [-0.33, 1]];
    case 'tag':
      return [[-1, -1], [0.33, -1], [1, 0], [0.33, 1], [-1, 1]];
    default:
      return null;
  }
}

const xml = (text) => String(text).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
const n = (value) => Math.round(value * 10) / 10;

/** One node shape as an SVG element string, centred at (x, y) with the given size. */
export function shapeSvg(shape, x, y, width, height, attributes) {
  const points = shapePoints(shape);
  if (!points) {
    return `<ellipse cx="${n(x)}" cy="${n(y)}" rx="${n(width / 2)}" ry="${n(height / 2)}" ${attributes}/>`;
  }
  const rounded = shape === 'round-rectangle' || shape === 'barrel';
  if (rounded) {
    const r = shape === 'barrel' ? height / 3 : height / 5;
    return `<rect x="${n(x - width / 2)}" y="${n(y - height / 2)}" width="${n(width)}" height="${n(height)}" rx="${n(r)}" ${attributes}/>`;
  }
  const list = points.map(([px, py]) => `${n(x + (px * width) / 2)},${n(y + (py * height) / 2)}`).join(' ');
  return `<polygon points="${list}" ${attributes}/>`;
}

/** The drawing as an SVG document (a string), from Cytoscape's node positions and edge geometry. */
export function toSvg(cy, model, meta) {
  const box = cy.elements().boundingBox({ includeLabels: true });
  const pad = 20;
  const x0 = box.x1 - pad;
  const y0 = box.y1 - pad;
  const width = box.w + 2 * pad;
  const height = box.h + 2 * pad + 24;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${n(x0)} ${n(y0)} ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}" font-family="system-ui, sans-serif">`);
  out.push(`<title>${xml(`OrgGraph explorer: ${meta.description}`)}</title>`);
  out.push(`<desc>${xml(`${meta.asOf ? `As of ${meta.asOf}. ` : ''}Generated ${meta.generated} from ${meta.origin}. Each edge's title lists its sources.`)}</desc>`);
  out.push(`<rect x="${n(x0)}" y="${n(y0)}" width="${n(width)}" height="${n(height)}" fill="#ffffff"/>`);
  out.push('<defs>');
  const colours = new Set(cy.edges().map((edge) => typeColour(edge.data('type'))));
  for (const colour of colours) {
    out.push(`<marker id="arrow-${colour.slice(1)}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`);
  }
  out.push('</defs>');

  out.push('<g class="edges" fill="none">');
  cy.edges().forEach((edge) => {
    const rel = model.edges.get(edge.id());
    if (!rel) return;
    const colour = typeColour(rel.type);
    const s = edge.sourceEndpoint();
    const t = edge.targetEndpoint();
    const control = edge.controlPoints?.();
    const d = control?.length ? `M${n(s.x)},${n(s.y)} Q${n(control[0].x)},${n(control[0].y)} ${n(t.x)},${n(t.y)}` : `M${n(s.x)},${n(s.y)} L${n(t.x)},${n(t.y)}`;
    const dash = { dashed: ' stroke-dasharray="6 4"', dotted: ' stroke-dasharray="2 3"' }[confidenceLine(rel.confidence)] ?? '';
    const mid = edge.midpoint();
    const [typeLine, dateLine] = edgeLabel(rel).split('\n');
    out.push(`<g><title>${xml(`${rel.from} ${rel.type} ${rel.to}. Sources: ${citations(rel.sources) || 'not loaded'}`)}</title>`
      + `<path d="${d}" stroke="${colour}" stroke-width="1.6"${dash} marker-end="url(#arrow-${colour.slice(1)})"/>`
      + `<text x="${n(mid.x)}" y="${n(mid.y)}" font-size="8" text-anchor="middle" fill="#3d444d" stroke="#ffffff" stroke-width="3" paint-order="stroke">`
      + `<tspan x="${n(mid.x)}" dy="-1">${xml(typeLine)}</tspan><tspan x="${n(mid.x)}" dy="9">${xml(dateLine)}</tspan></text></g>`);
  });
  out.push('</g>');

  out.push('<g class="nodes">');
  cy.nodes().forEach((node) => {
    const org = model.nodes.get(node.id());
    if (!org) return;
    const { x, y } = node.position();
    const w = node.width();
    const h = node.height();
    out.push(`<g><title>${xml(`${org.name} (${org.id}), ${org.kind}, ${org.sector}`)}</title>`);
    out.push(shapeSvg(kindShape(org.kind), x, y, w, h, `fill="${sectorColour(org.sector)}" stroke="#ffffff" stroke-width="1.5"`));
    const lines = wrap(org.name, 24);
    const spans = lines.map((line, i) => `<tspan x="${n(x)}" dy="${i === 0 ? 0 : 12}">${xml(line)}</tspan>`).join('');
    out.push(`<text x="${n(x)}" y="${n(y + h / 2 + 13)}" font-size="10" text-anchor="middle" fill="#1b1f24" stroke="#ffffff" stroke-width="3" paint-order="stroke">${spans}</text></g>`);
  });
  out.push('</g>');

  out.push(`<text x="${n(x0 + 8)}" y="${n(y0 + height - 8)}" font-size="10" fill="#57606a">${xml(`OrgGraph: ${meta.description}${meta.asOf ? `, as of ${meta.asOf}` : ''}. Sources: see the GraphML or CSV export.`)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** The drawing as PNG (a Blob), at twice the screen's resolution on a white background. */
export function toPng(cy) {
  return cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' });
}

/** Saves a Blob or string as a file download. */
export function download(content, fileName, type) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
