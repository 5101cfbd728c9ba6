// The drawing: Cytoscape.js over a GraphModel. Nodes are coloured by sector and shaped by kind; each edge is
// labelled with its type and dates, coloured by type, and dashed (REPORTED) or dotted (ALLEGED) by confidence.

import { period } from './format.js';

export const SECTOR_COLOURS = {
  PUBLIC: '#2f81f7',
  PRIVATE: '#e5534b',
  THIRD_SECTOR: '#3fb950',
};
const UNKNOWN_COLOUR = '#8c959f';

/** Cytoscape node shapes by organisation kind. */
export const KIND_SHAPES = {
  NATIONAL_BODY: 'star',
  REGION: 'hexagon',
  ICS: 'octagon',
  CCG: 'round-rectangle',
  TRUST: 'concave-hexagon',
  LOCAL_AUTHORITY: 'cut-rectangle',
  PCN: 'triangle',
  GP_PRACTICE: 'ellipse',
  CSU: 'round-diamond',
  COMPANY: 'diamond',
  CHARITY: 'pentagon',
  FRAMEWORK: 'rhomboid',
  CONTRACT: 'tag',
  OTHER: 'vee',
};

export const TYPE_COLOURS = {
  PART_OF: '#57606a',
  MEMBER_OF: '#8c959f',
  COMMISSIONED_BY: '#8250df',
  OPERATED_BY: '#bc4c00',
  OWNED_BY: '#cf222e',
  SUCCEEDED_BY: '#0969da',
  ACCOUNTABLE_TO: '#6e7781',
  SUPPLIER_ON: '#9a6700',
  RUNS: '#1a7f37',
  AWARDED_TO: '#bf3989',
  BID_FOR: '#bf3989',
};

export const CONFIDENCE_LINES = { OFFICIAL: 'solid', REPORTED: 'dashed', ALLEGED: 'dotted' };

export const sectorColour = (sector) => SECTOR_COLOURS[sector] ?? UNKNOWN_COLOUR;
export const kindShape = (kind) => KIND_SHAPES[kind] ?? 'ellipse';
export const typeColour = (type) => TYPE_COLOURS[type] ?? UNKNOWN_COLOUR;
export const confidenceLine = (confidence) => CONFIDENCE_LINES[confidence] ?? 'solid';

/** The two-line label of an edge: its type, and its dates. */
export const edgeLabel = (edge) => `${edge.type}\n${period(edge.validFrom, edge.validTo)}`;

const STYLE = [
  {
    selector: 'node',
    style: {
      'background-color': (node) => sectorColour(node.data('sector')),
      shape: (node) => kindShape(node.data('kind')),
      width: 30,
      height: 30,
      'border-width': 1.5,
      'border-color': '#ffffff',
      label: 'data(name)',
      'font-size': 11,
      color: '#1b1f24',
      'text-valign': 'bottom',
      'text-halign': 'center',
      'text-margin-y': 4,
      'text-wrap': 'wrap',
      'text-max-width': 130,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.75,
      'text-background-padding': 1,
      'min-zoomed-font-size': 5,
    },
  },
  { selector: 'node.focus', style: { width: 40, height: 40, 'border-width': 3, 'border-color': '#1b1f24', 'font-weight': 'bold' } },
  { selector: 'node.first-private', style: { 'border-width': 3, 'border-color': '#82071e' } },
  {
    selector: 'edge',
    style: {
      width: 1.6,
      'curve-style': 'bezier',
      'line-color': (edge) => typeColour(edge.data('type')),
      'target-arrow-color': (edge) => typeColour(edge.data('type')),
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.9,
      'line-style': (edge) => confidenceLine(edge.data('confidence')),
      label: 'data(label)',
      'font-size': 9,
      color: '#3d444d',
      'text-wrap': 'wrap',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': 1,
      'min-zoomed-font-size': 6,
    },
  },
  { selector: '.faded', style: { opacity: 0.25 } },
  { selector: 'node.highlighted', style: { 'underlay-color': '#f2c94c', 'underlay-opacity': 0.7, 'underlay-padding': 7 } },
  { selector: 'edge.highlighted', style: { width: 3, 'underlay-color': '#f2c94c', 'underlay-opacity': 0.7, 'underlay-padding': 4 } },
  { selector: ':selected', style: { 'overlay-color': '#0969da', 'overlay-opacity': 0.18, 'overlay-padding': 6 } },
];

export class GraphView {
  /**
   * handlers: onNode(id), onEdge(key), onExpand(id), onBackground().
   */
  constructor(container, handlers) {
    this.handlers = handlers;
    this.mode = 'neighbourhood';
    this.paths = [];
    this.cy = cytoscape({
      container,
      style: STYLE,
      minZoom: 0.1,
      maxZoom: 4,
      boxSelectionEnabled: false,
    });
    this.cy.on('tap', 'node', (event) => handlers.onNode(event.target.id()));
    this.cy.on('tap', 'edge', (event) => handlers.onEdge(event.target.id()));
    this.cy.on('dbltap', 'node', (event) => handlers.onExpand(event.target.id()));
    this.cy.on('tap', (event) => {
      if (event.target === this.cy) handlers.onBackground();
    });
  }

  /** Makes the drawing match the model: adds what is new, updates what changed, removes what is gone. */
  sync(model, { near } = {}) {
    const cy = this.cy;
    const anchor = near ? cy.getElementById(near) : null;
    const origin = anchor?.nonempty() ? anchor.position() : { x: 0, y: 0 };
    cy.batch(() => {
      cy.elements().forEach((element) => {
        const keep = element.isNode() ? model.nodes.has(element.id()) : model.edges.has(element.id());
        if (!keep) element.remove();
      });
      let added = 0;
      for (const node of model.nodes.values()) {
        const existing = cy.getElementById(node.id);
        if (existing.nonempty()) {
          existing.data(node);
        } else {
          // New nodes start around the node they were reached from, so a force layout unfolds them from there.
          const angle = (added++ * 2.399963) % (2 * Math.PI);
          cy.add({ group: 'nodes', data: { ...node }, position: { x: origin.x + 80 * Math.cos(angle), y: origin.y + 80 * Math.sin(angle) } });
        }
      }
      for (const edge of model.edges.values()) {
        const data = { id: edge.key, source: edge.from, target: edge.to, type: edge.type, confidence: edge.confidence, label: edgeLabel(edge) };
        const existing = cy.getElementById(edge.key);
        if (existing.nonempty()) {
          existing.data(data);
        } else {
          cy.add({ group: 'edges', data });
        }
      }
    });
  }

  setFocus(id) {
    this.cy.nodes('.focus').removeClass('focus');
    if (id) this.cy.getElementById(id).addClass('focus');
  }

  /** Marks the first private organisation of each privatisation path. */
  markFirstPrivate(ids) {
    this.cy.nodes('.first-private').removeClass('first-private');
    for (const id of ids) this.cy.getElementById(id).addClass('first-private');
  }

  /** Lays out a neighbourhood: the focus in the middle and its neighbours around it, then a force layout. */
  layoutNeighbourhood(focusId, { fresh = false } = {}) {
    this.mode = 'neighbourhood';
    this.focusId = focusId;
    const cy = this.cy;
    if (fresh) {
      // A fresh neighbourhood is a star: the organisation in the middle, its neighbours around it.
      cy.layout({
        name: 'concentric',
        concentric: (node) => (node.id() === focusId ? 2 : 1),
        levelWidth: () => 1,
        minNodeSpacing: 20,
        nodeDimensionsIncludeLabels: true,
        animate: false,
      }).run();
    } else {
      // Expanded nodes unfold from where they are, by a force layout that keeps labels apart.
      cy.layout({
        name: 'cose',
        animate: false,
        randomize: false,
        nodeDimensionsIncludeLabels: true,
        nodeRepulsion: () => 20000,
        idealEdgeLength: () => 120,
        gravity: 0.3,
        numIter: 1500,
      }).run();
    }
    this.fit();
  }

  /**
   * Lays out paths left to right in the order they are walked (a controller before what it controls), with the
   * dagre layered layout run on the path order rather than on the stored direction of each relationship.
   */
  layoutPaths(paths) {
    this.mode = 'paths';
    this.paths = paths;
    const elements = [];
    const seen = new Set();
    for (const node of this.cy.nodes()) elements.push({ group: 'nodes', data: { id: node.id() } });
    for (const { nodeIds } of paths) {
      for (let i = 0; i + 1 < nodeIds.length; i++) {
        const id = `${nodeIds[i]}\u0000${nodeIds[i + 1]}`;
        if (seen.has(id) || nodeIds[i] === nodeIds[i + 1]) continue;
        seen.add(id);
        elements.push({ group: 'edges', data: { id, source: nodeIds[i], target: nodeIds[i + 1] } });
      }
    }
    // A headless copy of the nodes, each as large as its label needs, laid out by path order.
    const helper = cytoscape({ headless: true, styleEnabled: true, elements, style: [{ selector: 'node', style: { width: 140, height: 64 } }] });
    helper.layout({ name: 'dagre', rankDir: 'LR', nodeSep: 24, rankSep: 55, edgeSep: 12 }).run();
    const positions = {};
    helper.nodes().forEach((node) => { positions[node.id()] = { ...node.position() }; });
    helper.destroy();
    this.cy.layout({ name: 'preset', positions: (node) => positions[node.id()] ?? { x: 0, y: 0 }, animate: false, fit: false }).run();
    this.fit();
  }

  relayout() {
    if (this.mode === 'paths') {
      this.layoutPaths(this.paths);
    } else {
      this.layoutNeighbourhood(this.focusId);
    }
  }

  /** Highlights some nodes and edges and fades the rest; with nothing given, clears the highlight. */
  highlight(nodeIds = [], edgeKeys = []) {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements().removeClass('highlighted faded');
      if (nodeIds.length === 0 && edgeKeys.length === 0) return;
      const chosen = cy.collection();
      for (const id of nodeIds) chosen.merge(cy.getElementById(id));
      for (const key of edgeKeys) chosen.merge(cy.getElementById(key));
      chosen.addClass('highlighted');
      cy.elements().not(chosen).addClass('faded');
    });
  }

  select(id) {
    this.cy.elements(':selected').unselect();
    if (id) this.cy.getElementById(id).select();
  }

  /** Fits the drawing to the window, but zooms in no further than 1.2 (a few nodes stay at a readable size). */
  fit() {
    this.cy.fit(undefined, 30);
    if (this.cy.zoom() > 1.2) {
      this.cy.zoom(1.2);
      this.cy.center();
    }
  }

  clear() {
    this.cy.elements().remove();
    this.paths = [];
  }
}
