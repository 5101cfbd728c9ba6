using System.Reflection;
using OrgGraph.Model;

namespace OrgGraph.Storage.Neo4j;

/// <summary>
/// Every Cypher statement the Neo4j backend can send. User input only ever travels as parameters
/// (<c>$name</c>), never spliced into a statement; the relationship-type variants are generated from the
/// <see cref="RelationshipType"/> enum, not from input. <see cref="All"/> lets a test lint each statement with
/// Neo4j's own Cypher front-end.
/// </summary>
/// <remarks>
/// The model in Neo4j: <c>(:Organisation {id, name, kind, sector, validFrom, validTo, confidence, sources, properties})</c>,
/// its dated names, roles and aliases as <c>(:Organisation)-[:HAS_FACT]->(:Fact {nodeId, fact, value, scheme, validFrom, validTo, sources})</c>,
/// <c>(:Source {id, title, publisher, url, published, retrieved, licence})</c>, and one relationship type per
/// <see cref="RelationshipType"/> (PART_OF, COMMISSIONED_BY, ...) with {key, validFrom, validTo, confidence, sources, properties}.
/// Audit records of API writes are unconnected <c>(:Change {id, at, keyId, action, subject, nodes, sources, before, after})</c> nodes.
/// Dates are ISO strings with '0001-01-01' and '9999-12-31' for open ends, so "valid on D" is two string comparisons.
/// Quantifier bounds must be literals in Cypher, so path patterns go up to 10 steps (the API's largest maxHops)
/// and <c>$maxHops</c> filters the length.
/// </remarks>
public static class Cypher
{
    public const string CreateOrganisationIdConstraint =
        "CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (o:Organisation) REQUIRE o.id IS UNIQUE";

    public const string CreateSourceIdConstraint =
        "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE";

    public const string CreateFactKeyConstraint =
        "CREATE CONSTRAINT fact_key IF NOT EXISTS FOR (f:Fact) REQUIRE (f.nodeId, f.fact, f.value, f.validFrom) IS UNIQUE";

    public const string CreateFactValueIndex =
        "CREATE INDEX fact_value IF NOT EXISTS FOR (f:Fact) ON (f.value)";

    public const string CreateSearchIndex =
        "CREATE FULLTEXT INDEX organisation_search IF NOT EXISTS FOR (n:Organisation|Fact) ON EACH [n.id, n.name, n.value]";

    public const string CreateChangeIdConstraint =
        "CREATE CONSTRAINT change_id IF NOT EXISTS FOR (c:Change) REQUIRE c.id IS UNIQUE";

    public const string Count = """
        CALL () { MATCH (s:Source) RETURN count(s) AS sources }
        CALL () { MATCH (o:Organisation) RETURN count(o) AS nodes }
        CALL () { MATCH (:Organisation)-[r]->(:Organisation) RETURN count(r) AS relationships }
        RETURN sources, nodes, relationships
        """;

    public const string UpsertSources = """
        UNWIND $rows AS row
        MERGE (s:Source {id: row.id})
        SET s += row.props
        """;

    public const string UpsertNodes = """
        UNWIND $rows AS row
        MERGE (o:Organisation {id: row.id})
        SET o += row.props
        """;

    public const string UpsertFacts = """
        UNWIND $rows AS row
        MATCH (o:Organisation {id: row.nodeId})
        MERGE (f:Fact {nodeId: row.nodeId, fact: row.fact, value: row.value, validFrom: row.validFrom})
        SET f += row.props
        MERGE (o)-[:HAS_FACT]->(f)
        """;

    public const string GetNodes = """
        UNWIND $ids AS id
        MATCH (o:Organisation {id: id})
        OPTIONAL MATCH (o)-[:HAS_FACT]->(f:Fact)
        RETURN o, collect(f) AS facts
        """;

    public const string Resolve = """
        UNWIND $keys AS key
        OPTIONAL MATCH (o:Organisation {id: key})
        OPTIONAL MATCH (f:Fact {fact: 'ALIAS', value: key})
        WITH key, o, f ORDER BY f.nodeId
        WITH key, o, collect(f.nodeId) AS aliased
        RETURN key, coalesce(o.id, aliased[0]) AS id
        """;

    public const string GetSources = """
        UNWIND $ids AS id
        MATCH (s:Source {id: id})
        RETURN s
        """;

    public const string ListSources = """
        MATCH (s:Source)
        RETURN s
        ORDER BY s.id
        """;

    public const string FindNodes = """
        MATCH (o:Organisation)
        WHERE ($kinds IS NULL OR o.kind IN $kinds)
          AND ($sector IS NULL OR o.sector = $sector)
          AND ($asOf IS NULL OR (o.validFrom <= $asOf AND $asOf <= o.validTo))
          AND ($name IS NULL OR toLower(o.name) CONTAINS toLower($name))
          AND ($within IS NULL OR EXISTS {
                MATCH (o)(()-[p:PART_OF WHERE $asOf IS NULL OR (p.validFrom <= $asOf AND $asOf <= p.validTo)]->(:Organisation)){1,10}(:Organisation {id: $within})
              })
        WITH o ORDER BY o.id
        WITH collect(o) AS matches
        WITH matches, [m IN matches WHERE $after IS NULL OR m.id > $after] AS rest
        UNWIND (CASE WHEN size(rest) = 0 THEN [null] ELSE rest[0..$limit] END) AS o
        OPTIONAL MATCH (o)-[:HAS_FACT]->(f:Fact)
        RETURN size(matches) AS total, size(rest) > $first AS more, o, collect(f) AS facts
        ORDER BY o.id
        """;

    public const string Search = """
        CALL db.index.fulltext.queryNodes('organisation_search', $query) YIELD node, score
        WITH CASE WHEN node:Fact THEN node.nodeId ELSE node.id END AS id, score
        MATCH (o:Organisation {id: id})
        WITH o, max(score) + CASE WHEN o.id = $exact OR EXISTS { (o)-[:HAS_FACT]->(:Fact {fact: 'ALIAS', value: $exact}) } THEN 1000.0 ELSE 0.0 END AS rank
        ORDER BY rank DESC, o.id
        LIMIT $first
        OPTIONAL MATCH (o)-[:HAS_FACT]->(f:Fact)
        RETURN o, collect(f) AS facts, rank
        ORDER BY rank DESC, o.id
        """;

    public const string GetOutgoing = """
        UNWIND $ids AS id
        MATCH (n:Organisation {id: id})-[r]->(m:Organisation)
        WHERE ($types IS NULL OR type(r) IN $types) AND ($asOf IS NULL OR (r.validFrom <= $asOf AND $asOf <= r.validTo))
        RETURN id, type(r) AS type, n.id AS from, m.id AS to, r
        ORDER BY id, type, r.validFrom, to
        """;

    public const string GetIncoming = """
        UNWIND $ids AS id
        MATCH (n:Organisation {id: id})<-[r]-(m:Organisation)
        WHERE ($types IS NULL OR type(r) IN $types) AND ($asOf IS NULL OR (r.validFrom <= $asOf AND $asOf <= r.validTo))
        RETURN id, type(r) AS type, m.id AS from, n.id AS to, r
        ORDER BY id, type, r.validFrom, from
        """;

    /// <summary>
    /// Control chains ending at $id, walked up to nodes with no controller. A step is a controlling relationship
    /// followed from the controlled to the controller: PART_OF (to a national body, region or ICS),
    /// ACCOUNTABLE_TO, COMMISSIONED_BY, OPERATED_BY, OWNED_BY forwards, AWARDED_TO backwards.
    /// </summary>
    public const string WhoControls = """
        MATCH p = (x:Organisation {id: $id})((a:Organisation)-[r]-(b:Organisation)
            WHERE ((startNode(r) = a AND (type(r) IN ['ACCOUNTABLE_TO', 'COMMISSIONED_BY', 'OPERATED_BY', 'OWNED_BY']
                     OR (type(r) = 'PART_OF' AND b.kind IN ['NATIONAL_BODY', 'REGION', 'ICS'])))
                   OR (endNode(r) = a AND type(r) = 'AWARDED_TO'))
              AND ($kinds IS NULL OR CASE type(r) WHEN 'OWNED_BY' THEN 'OWNERSHIP' WHEN 'OPERATED_BY' THEN 'OPERATION'
                     WHEN 'COMMISSIONED_BY' THEN 'COMMISSIONING' WHEN 'AWARDED_TO' THEN 'CONTRACT' ELSE 'OVERSIGHT' END IN $kinds)
              AND ($asOf IS NULL OR (r.validFrom <= $asOf AND $asOf <= r.validTo AND b.validFrom <= $asOf AND $asOf <= b.validTo))
        ){1,10}(top:Organisation)
        WHERE length(p) <= $maxHops
          AND reduce(lo = '0001-01-01', s IN relationships(p) | CASE WHEN s.validFrom > lo THEN s.validFrom ELSE lo END)
              <= reduce(hi = '9999-12-31', s IN relationships(p) | CASE WHEN s.validTo < hi THEN s.validTo ELSE hi END)
          AND NOT EXISTS {
                MATCH (top)-[c]-(above:Organisation)
                WHERE ((startNode(c) = top AND (type(c) IN ['ACCOUNTABLE_TO', 'COMMISSIONED_BY', 'OPERATED_BY', 'OWNED_BY']
                         OR (type(c) = 'PART_OF' AND above.kind IN ['NATIONAL_BODY', 'REGION', 'ICS'])))
                       OR (endNode(c) = top AND type(c) = 'AWARDED_TO'))
                  AND NOT above IN nodes(p)
                  AND ($kinds IS NULL OR CASE type(c) WHEN 'OWNED_BY' THEN 'OWNERSHIP' WHEN 'OPERATED_BY' THEN 'OPERATION'
                         WHEN 'COMMISSIONED_BY' THEN 'COMMISSIONING' WHEN 'AWARDED_TO' THEN 'CONTRACT' ELSE 'OVERSIGHT' END IN $kinds)
                  AND ($asOf IS NULL OR (c.validFrom <= $asOf AND $asOf <= c.validTo AND above.validFrom <= $asOf AND $asOf <= above.validTo))
                  AND reduce(lo = c.validFrom, s IN relationships(p) | CASE WHEN s.validFrom > lo THEN s.validFrom ELSE lo END)
                      <= reduce(hi = c.validTo, s IN relationships(p) | CASE WHEN s.validTo < hi THEN s.validTo ELSE hi END)
              }
        RETURN p
        ORDER BY length(p)
        LIMIT 1001
        """;

    /// <summary>Whether some control chain from $id is longer than $maxHops (then the answer would be incomplete: an error).</summary>
    public const string WhoControlsBeyond = """
        MATCH p = (x:Organisation {id: $id})((a:Organisation)-[r]-(b:Organisation)
            WHERE ((startNode(r) = a AND (type(r) IN ['ACCOUNTABLE_TO', 'COMMISSIONED_BY', 'OPERATED_BY', 'OWNED_BY']
                     OR (type(r) = 'PART_OF' AND b.kind IN ['NATIONAL_BODY', 'REGION', 'ICS'])))
                   OR (endNode(r) = a AND type(r) = 'AWARDED_TO'))
              AND ($kinds IS NULL OR CASE type(r) WHEN 'OWNED_BY' THEN 'OWNERSHIP' WHEN 'OPERATED_BY' THEN 'OPERATION'
                     WHEN 'COMMISSIONED_BY' THEN 'COMMISSIONING' WHEN 'AWARDED_TO' THEN 'CONTRACT' ELSE 'OVERSIGHT' END IN $kinds)
              AND ($asOf IS NULL OR (r.validFrom <= $asOf AND $asOf <= r.validTo AND b.validFrom <= $asOf AND $asOf <= b.validTo))
        ){1,11}(:Organisation)
        WHERE length(p) = $maxHops + 1
          AND reduce(lo = '0001-01-01', s IN relationships(p) | CASE WHEN s.validFrom > lo THEN s.validFrom ELSE lo END)
              <= reduce(hi = '9999-12-31', s IN relationships(p) | CASE WHEN s.validTo < hi THEN s.validTo ELSE hi END)
        WITH p LIMIT 1
        RETURN count(p) > 0 AS beyond
        """;

    /// <summary>Everything $id controls, by the shortest chain to each; the step directions mirror <see cref="WhoControls"/>.</summary>
    public const string ControlledBy = """
        MATCH p = SHORTEST 1 (x:Organisation {id: $id})((a:Organisation)-[r]-(b:Organisation)
            WHERE ((endNode(r) = a AND (type(r) IN ['ACCOUNTABLE_TO', 'COMMISSIONED_BY', 'OPERATED_BY', 'OWNED_BY']
                     OR (type(r) = 'PART_OF' AND a.kind IN ['NATIONAL_BODY', 'REGION', 'ICS'])))
                   OR (startNode(r) = a AND type(r) = 'AWARDED_TO'))
              AND ($kinds IS NULL OR CASE type(r) WHEN 'OWNED_BY' THEN 'OWNERSHIP' WHEN 'OPERATED_BY' THEN 'OPERATION'
                     WHEN 'COMMISSIONED_BY' THEN 'COMMISSIONING' WHEN 'AWARDED_TO' THEN 'CONTRACT' ELSE 'OVERSIGHT' END IN $kinds)
              AND ($asOf IS NULL OR (r.validFrom <= $asOf AND $asOf <= r.validTo AND b.validFrom <= $asOf AND $asOf <= b.validTo))
        ){1,10}(t:Organisation)
        WHERE length(p) <= $maxHops AND t <> x
          AND ($nodeKinds IS NULL OR t.kind IN $nodeKinds)
          AND reduce(lo = '0001-01-01', s IN relationships(p) | CASE WHEN s.validFrom > lo THEN s.validFrom ELSE lo END)
              <= reduce(hi = '9999-12-31', s IN relationships(p) | CASE WHEN s.validTo < hi THEN s.validTo ELSE hi END)
        RETURN p
        ORDER BY length(p), t.id
        LIMIT $first
        """;

    /// <summary>
    /// From a public body down oversight and commissioning, through operation and contracts, to the first private
    /// organisation; then its controlling owners (OWNED_BY with no share stated or over 50%) up to one with none.
    /// </summary>
    public const string PrivatisationPaths = """
        MATCH p = (x:Organisation {id: $id})((a:Organisation)-[r]-(b:Organisation)
            WHERE a.sector <> 'PRIVATE'
              AND ((endNode(r) = a AND (type(r) IN ['ACCOUNTABLE_TO', 'COMMISSIONED_BY']
                     OR (type(r) = 'PART_OF' AND a.kind IN ['NATIONAL_BODY', 'REGION', 'ICS'])))
                   OR (startNode(r) = a AND (type(r) IN ['OPERATED_BY', 'AWARDED_TO'] OR ($includeBids AND type(r) = 'BID_FOR'))))
              AND ($asOf IS NULL OR (r.validFrom <= $asOf AND $asOf <= r.validTo AND b.validFrom <= $asOf AND $asOf <= b.validTo))
        ){1,10}(private:Organisation {sector: 'PRIVATE'})
        WHERE length(p) <= $maxHops
        OPTIONAL MATCH q = (private)((o:Organisation)-[w:OWNED_BY]->(owner:Organisation)
            WHERE (w.share IS NULL OR w.share > 50)
              AND ($asOf IS NULL OR (w.validFrom <= $asOf AND $asOf <= w.validTo AND owner.validFrom <= $asOf AND $asOf <= owner.validTo))
        ){1,10}(top:Organisation)
        WHERE NOT EXISTS {
                MATCH (top)-[u:OWNED_BY]->(above:Organisation)
                WHERE (u.share IS NULL OR u.share > 50) AND NOT above IN nodes(q)
                  AND ($asOf IS NULL OR (u.validFrom <= $asOf AND $asOf <= u.validTo))
              }
        WITH p, q, relationships(p) + coalesce(relationships(q), []) AS steps
        WHERE length(p) + coalesce(length(q), 0) <= $maxHops
          AND reduce(lo = '0001-01-01', s IN steps | CASE WHEN s.validFrom > lo THEN s.validFrom ELSE lo END)
              <= reduce(hi = '9999-12-31', s IN steps | CASE WHEN s.validTo < hi THEN s.validTo ELSE hi END)
        RETURN p, q
        ORDER BY size(steps), [n IN nodes(p) | n.id]
        LIMIT $first
        """;

    /// <summary>The shortest paths between two organisations over any relationships (or $types), either direction.</summary>
    public const string Connections = """
        MATCH p = SHORTEST 100 (a:Organisation {id: $from})((x:Organisation)-[r]-(y:Organisation)
            WHERE type(r) <> 'HAS_FACT' AND type(r) <> 'PAID' AND ($types IS NULL OR type(r) IN $types)
              AND ($asOf IS NULL OR (r.validFrom <= $asOf AND $asOf <= r.validTo AND y.validFrom <= $asOf AND $asOf <= y.validTo))
        ){1,10}(b:Organisation {id: $to})
        WHERE length(p) <= $maxHops
          AND reduce(lo = '0001-01-01', s IN relationships(p) | CASE WHEN s.validFrom > lo THEN s.validFrom ELSE lo END)
              <= reduce(hi = '9999-12-31', s IN relationships(p) | CASE WHEN s.validTo < hi THEN s.validTo ELSE hi END)
        RETURN p
        ORDER BY length(p)
        LIMIT $first
        """;

    public const string Predecessors = """
        MATCH p = SHORTEST 1 (x:Organisation {id: $id})<-[:SUCCEEDED_BY]-{1,50}(other:Organisation)
        WHERE other <> x
        RETURN other.id AS id, last(relationships(p)).validFrom AS date, length(p) AS depth
        ORDER BY depth, date, id
        """;

    public const string Successors = """
        MATCH p = SHORTEST 1 (x:Organisation {id: $id})-[:SUCCEEDED_BY]->{1,50}(other:Organisation)
        WHERE other <> x
        RETURN other.id AS id, last(relationships(p)).validFrom AS date, length(p) AS depth
        ORDER BY depth, date, id
        """;

    /// <summary>Organisations within $within (PART_OF, transitively, plus one MEMBER_OF or COMMISSIONED_BY step), or all, by kind.</summary>
    public const string StatsMembers = """
        CALL () {
          MATCH (root:Organisation {id: $within})
          OPTIONAL MATCH (o:Organisation)(()-[p:PART_OF WHERE $asOf IS NULL OR (p.validFrom <= $asOf AND $asOf <= p.validTo)]->(:Organisation)){1,10}(root)
          WHERE $asOf IS NULL OR (o.validFrom <= $asOf AND $asOf <= o.validTo)
          WITH root, collect(DISTINCT o) + [root] AS structure
          UNWIND structure AS s
          OPTIONAL MATCH (m:Organisation)-[e:MEMBER_OF|COMMISSIONED_BY]->(s)
          WHERE $asOf IS NULL OR (e.validFrom <= $asOf AND $asOf <= e.validTo AND m.validFrom <= $asOf AND $asOf <= m.validTo)
          WITH root, structure, collect(DISTINCT m) AS members
          UNWIND structure + members AS n
          WITH DISTINCT root, n WHERE n <> root
          RETURN n
          UNION
          MATCH (n:Organisation)
          WHERE $within IS NULL AND ($asOf IS NULL OR (n.validFrom <= $asOf AND $asOf <= n.validTo))
          RETURN n
        }
        RETURN n.kind AS kind, count(DISTINCT n) AS count
        ORDER BY kind
        """;

    /// <summary>Per ICS among <c>$ics</c>, the distinct providers it or its CCGs commission, by sector, and those run by a private operator.</summary>
    public const string StatsCommissioning = """
        UNWIND $ics AS icsId
        MATCH (ics:Organisation {id: icsId})
        OPTIONAL MATCH (ccg:Organisation {kind: 'CCG'})-[p:PART_OF]->(ics)
        WHERE $asOf IS NULL OR (p.validFrom <= $asOf AND $asOf <= p.validTo AND ccg.validFrom <= $asOf AND $asOf <= ccg.validTo)
        WITH ics, collect(DISTINCT ccg) + [ics] AS commissioners
        UNWIND commissioners AS commissioner
        OPTIONAL MATCH (provider:Organisation)-[c:COMMISSIONED_BY]->(commissioner)
        WHERE $asOf IS NULL OR (c.validFrom <= $asOf AND $asOf <= c.validTo AND provider.validFrom <= $asOf AND $asOf <= provider.validTo)
        WITH ics, collect(DISTINCT provider) AS providers
        UNWIND (CASE WHEN size(providers) = 0 THEN [null] ELSE providers END) AS provider
        RETURN ics.id AS ics, provider.sector AS sector, count(provider) AS count,
               count(CASE WHEN provider.sector <> 'PRIVATE' AND EXISTS {
                   MATCH (provider)-[o:OPERATED_BY]->(operator:Organisation {sector: 'PRIVATE'})
                   WHERE $asOf IS NULL OR (o.validFrom <= $asOf AND $asOf <= o.validTo)
                 } THEN 1 END) AS operatedByPrivate
        ORDER BY ics, sector
        """;

    public const string StatsIcs = """
        MATCH (n:Organisation {kind: 'ICS'})
        WHERE ($asOf IS NULL OR (n.validFrom <= $asOf AND $asOf <= n.validTo))
          AND ($within IS NULL OR n.id = $within OR EXISTS {
                MATCH (n)(()-[p:PART_OF WHERE $asOf IS NULL OR (p.validFrom <= $asOf AND $asOf <= p.validTo)]->(:Organisation)){1,10}(:Organisation {id: $within})
              })
        RETURN n.id AS id
        ORDER BY id
        """;

    /// <summary>Audit records of API writes (<see cref="Change"/>): created with the write, in its transaction, never changed.</summary>
    public const string RecordChanges = """
        UNWIND $rows AS row
        CREATE (c:Change {id: row.id})
        SET c += row.props
        """;

    /// <summary>The latest audit records, newest first; only those touching $nodeId when it is not null.</summary>
    public const string GetChanges = """
        MATCH (c:Change)
        WHERE $nodeId IS NULL OR $nodeId IN c.nodes
        RETURN c
        ORDER BY c.at DESC, c.id DESC
        LIMIT $first
        """;

    /// <summary>One upsert statement per relationship type (types cannot be parameters).</summary>
    public static IReadOnlyDictionary<RelationshipType, string> UpsertRelationships { get; } =
        Enum.GetValues<RelationshipType>().ToDictionary(t => t, t => $"""
            UNWIND $rows AS row
            MATCH (a:Organisation {"{"}id: row.from{"}"})
            MATCH (b:Organisation {"{"}id: row.to{"}"})
            MERGE (a)-[r:{EnumNames.ToWire(t)} {"{"}validFrom: row.validFrom{"}"}]->(b)
            SET r += row.props
            """);

    /// <summary>Every statement, by name.</summary>
    public static IReadOnlyDictionary<string, string> All()
    {
        var all = typeof(Cypher).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        foreach (var (type, statement) in UpsertRelationships)
        {
            all[$"UpsertRelationship_{EnumNames.ToWire(type)}"] = statement;
        }

        return all;
    }

    /// <summary>The schema statements run on start (idempotent).</summary>
    public static IReadOnlyList<string> Schema { get; } =
        [CreateOrganisationIdConstraint, CreateSourceIdConstraint, CreateFactKeyConstraint, CreateFactValueIndex, CreateSearchIndex, CreateChangeIdConstraint];
}
