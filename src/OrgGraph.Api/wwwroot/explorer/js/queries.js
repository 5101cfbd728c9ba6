// The GraphQL documents the page sends. Each stays under the API's complexity limit (15,000 by default), where a
// list counts `first` (or 20 when it has none) times its selection: which is why path queries ask for their steps'
// sources in a second request (citationsQuery) rather than inline.

const ORG = 'fragment Org on Organisation { id name kind sector validFrom validTo confidence }';
const SOURCE = 'fragment Src on Source { id title publisher url }';
const RELATIONSHIP = `fragment Rel on Relationship {
  type validFrom validTo confidence
  properties { key value }
  sources { ...Src }
  from { ...Org }
  to { ...Org }
}`;

/** Relationships shown and drawn per page (the details list and a node's expansion). */
export const RELATIONSHIP_PAGE = 50;

const RELATIONSHIP_PAGE_SELECTION = `{
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ...Rel }
    }`;

export const SEARCH = `query Search($text: String!) {
  search(text: $text, first: 12) { ...Org }
}
${ORG}`;

export const ORGANISATION = `query Organisation($id: ID!, $asOf: Date) {
  organisation(id: $id) {
    ...Org
    names { name validFrom validTo sources { id title url } }
    roles { role validFrom validTo sources { id title url } }
    aliases { value scheme validFrom validTo sources { id title url } }
    properties { key value }
    sources { ...Src }
    parent(asOf: $asOf) { ...Org }
    relationships(asOf: $asOf, first: ${RELATIONSHIP_PAGE}) ${RELATIONSHIP_PAGE_SELECTION}
  }
}
${ORG}
${SOURCE}
${RELATIONSHIP}`;

export const RELATIONSHIPS = `query Relationships($id: ID!, $asOf: Date, $after: String) {
  organisation(id: $id) {
    ...Org
    relationships(asOf: $asOf, first: ${RELATIONSHIP_PAGE}, after: $after) ${RELATIONSHIP_PAGE_SELECTION}
  }
}
${ORG}
${SOURCE}
${RELATIONSHIP}`;

const PATH = `length validFrom validTo
    nodes { ...Org }
    steps { type controlKind influenceOnly direction validFrom validTo confidence }`;

/** The path questions: each answers `paths`, a list of Path or ControlChain. */
export const PATH_QUERIES = {
  whoControls: {
    title: 'Who controls',
    needsTo: false,
    document: `query WhoControls($from: ID!, $asOf: Date, $maxHops: Int) {
  paths: whoControls(id: $from, asOf: $asOf, maxHops: $maxHops) { ${PATH} }
}
${ORG}`,
  },
  controlledBy: {
    title: 'What is controlled by',
    needsTo: false,
    document: `query ControlledBy($from: ID!, $asOf: Date, $maxHops: Int) {
  paths: controlledBy(id: $from, asOf: $asOf, maxHops: $maxHops, first: 40) { ${PATH} }
}
${ORG}`,
  },
  privatisationPaths: {
    title: 'Privatisation paths from',
    needsTo: false,
    document: `query PrivatisationPaths($from: ID!, $asOf: Date, $maxHops: Int, $includeBids: Boolean) {
  paths: privatisationPaths(from: $from, asOf: $asOf, maxHops: $maxHops, includeBids: $includeBids, first: 25) {
    ${PATH}
    firstPrivateIndex
  }
}
${ORG}`,
  },
  connections: {
    title: 'Connections between',
    needsTo: true,
    document: `query Connections($from: ID!, $to: ID!, $asOf: Date, $maxHops: Int) {
  paths: connections(from: $from, to: $to, asOf: $asOf, maxHops: $maxHops, first: 25) { ${PATH} }
}
${ORG}`,
  },
};

/** Organisations whose outgoing relationships one citations request reads (each costs about 2,600 of complexity). */
export const CITATION_GROUPS_PER_REQUEST = 5;

/**
 * Reads the sources, properties and confidence of relationships drawn from path steps: for each group, the
 * outgoing relationships of one organisation, of the given types, one page each.
 * groups: [{ id, types, after }]; returns { query, variables }, with the answer for group i under alias `o{i}`.
 */
export function citationsQuery(groups, asOf) {
  const parameters = ['$asOf: Date'];
  const fields = [];
  const variables = { asOf: asOf || null };
  groups.forEach((group, i) => {
    parameters.push(`$id${i}: ID!`, `$types${i}: [RelationshipType!]`, `$after${i}: String`);
    variables[`id${i}`] = group.id;
    variables[`types${i}`] = group.types;
    variables[`after${i}`] = group.after ?? null;
    fields.push(`o${i}: organisation(id: $id${i}) {
    id
    relationships(direction: OUTGOING, types: $types${i}, asOf: $asOf, first: 20, after: $after${i}) {
      pageInfo { hasNextPage endCursor }
      nodes { type validFrom validTo confidence properties { key value } sources { ...Src } to { id } }
    }
  }`);
  });
  const query = `query Citations(${parameters.join(', ')}) {
  ${fields.join('\n  ')}
}
${SOURCE}`;
  return { query, variables };
}
