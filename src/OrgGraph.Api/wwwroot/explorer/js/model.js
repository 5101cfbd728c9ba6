// What is drawn: organisations and relationships as the API gave them, independent of Cytoscape.
//
// A relationship is identified as the API identifies it: its type, its ends as stored (from, to) and its start date.
// It arrives either whole (from an organisation's `relationships`: with sources) or as a path step (without sources,
// which citations fill in later); both land on the same edge.

/** The key of a relationship: type, stored ends and start date. */
export function edgeKey(type, from, to, validFrom) {
  return [type, from, to, validFrom ?? ''].join('|');
}

export class GraphModel {
  constructor() {
    /** id -> { id, name, kind, sector, validFrom, validTo, confidence } */
    this.nodes = new Map();
    /** key -> { key, type, from, to, validFrom, validTo, confidence, controlKind, influenceOnly, properties, sources } */
    this.edges = new Map();
  }

  get isEmpty() {
    return this.nodes.size === 0;
  }

  clear() {
    this.nodes.clear();
    this.edges.clear();
  }

  addOrganisation(org) {
    const known = this.nodes.get(org.id);
    const node = {
      id: org.id,
      name: org.name,
      kind: org.kind,
      sector: org.sector,
      validFrom: org.validFrom ?? null,
      validTo: org.validTo ?? null,
      confidence: org.confidence ?? known?.confidence ?? null,
    };
    this.nodes.set(org.id, known ? { ...known, ...node } : node);
    return org.id;
  }

  /** A relationship from an organisation's `relationships` (ends as objects, with sources). */
  addRelationship(relationship) {
    this.addOrganisation(relationship.from);
    this.addOrganisation(relationship.to);
    return this.#mergeEdge({
      type: relationship.type,
      from: relationship.from.id,
      to: relationship.to.id,
      validFrom: relationship.validFrom ?? null,
      validTo: relationship.validTo ?? null,
      confidence: relationship.confidence,
      properties: relationship.properties ?? [],
      sources: relationship.sources ?? [],
    });
  }

  /**
   * A path or control chain: its nodes in order and its steps, step i leading from nodes[i] to nodes[i + 1]
   * (walking the stored relationship backwards when its direction is INCOMING). Returns the ids and edge keys used.
   */
  addPath(path) {
    const nodeIds = path.nodes.map((org) => this.addOrganisation(org));
    const edgeKeys = path.steps.map((step, i) => {
      const [from, to] = step.direction === 'INCOMING' ? [nodeIds[i + 1], nodeIds[i]] : [nodeIds[i], nodeIds[i + 1]];
      return this.#mergeEdge({
        type: step.type,
        from,
        to,
        validFrom: step.validFrom ?? null,
        validTo: step.validTo ?? null,
        confidence: step.confidence,
        controlKind: step.controlKind ?? null,
        influenceOnly: step.influenceOnly ?? false,
      });
    });
    return { nodeIds, edgeKeys };
  }

  /** Fills an edge's sources and properties from the organisation's relationship (citations); false if not drawn. */
  addCitations(relationship, fromId) {
    const key = edgeKey(relationship.type, fromId, relationship.to.id, relationship.validFrom);
    const edge = this.edges.get(key);
    if (!edge) {
      return false;
    }
    edge.sources = relationship.sources ?? [];
    edge.properties = relationship.properties ?? [];
    edge.confidence = relationship.confidence ?? edge.confidence;
    return true;
  }

  /** Edges whose sources have not been read yet. */
  edgesWithoutSources() {
    return [...this.edges.values()].filter((edge) => edge.sources === undefined);
  }

  /** Every distinct source cited by a drawn relationship, by id. */
  citedSources() {
    const sources = new Map();
    for (const edge of this.edges.values()) {
      for (const source of edge.sources ?? []) {
        sources.set(source.id, source);
      }
    }
    return sources;
  }

  #mergeEdge(edge) {
    const key = edgeKey(edge.type, edge.from, edge.to, edge.validFrom);
    const known = this.edges.get(key);
    const merged = { key, ...known };
    for (const [name, value] of Object.entries(edge)) {
      if (value !== undefined && !(value === null && known?.[name] != null)) {
        merged[name] = value;
      }
    }
    this.edges.set(key, merged);
    return key;
  }
}
