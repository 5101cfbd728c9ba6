using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace OrgGraph.Bench;

/// <summary>
/// The same path questions as plain SQLite recursive CTEs — what one would write by hand, without the index: a
/// path string to avoid cycles, a depth bound, the running intersection of validity periods on undated queries.
/// Each statement is timed with all its rows read; a progress handler aborts any statement over a time limit.
/// <c>CROSS JOIN</c> fixes the join order (walk, then its relationships by the from/to index, then the node): left
/// to itself, the SQLite bundled with Microsoft.Data.Sqlite drives some steps from the relationships' type index
/// and scans the walk inside, which took seconds per statement.
/// </summary>
public static class CteBench
{
    /// <summary>Date condition for a step over relationship r to node n (asOf) or the period intersection (undated).</summary>
    private static string Valid(bool dated) => dated
        ? "r.valid_from <= $day AND r.valid_to >= $day AND n.valid_from <= $day AND n.valid_to >= $day"
        : "max(w.lo, r.valid_from) <= min(w.hi, r.valid_to)";

    /// <summary>Chains of control walked upwards from $id; a chain ends where nothing extends it.</summary>
    public static string WhoControls(bool dated) => $"""
        WITH RECURSIVE walk(node, depth, path, edges, lo, hi) AS (
            SELECT $id, 0, ',' || $id || ',', '', '0001-01-01', '9999-12-31'
            UNION ALL
            SELECT r.to_id, w.depth + 1, w.path || r.to_id || ',', w.edges || r.key || ',', max(w.lo, r.valid_from), min(w.hi, r.valid_to)
            FROM walk w CROSS JOIN relationships r ON r.from_id = w.node CROSS JOIN nodes n ON n.id = r.to_id
            WHERE w.depth < $max
              AND (r.type IN ('ACCOUNTABLE_TO', 'COMMISSIONED_BY', 'OPERATED_BY', 'OWNED_BY') OR (r.type = 'PART_OF' AND n.kind IN ('NATIONAL_BODY', 'REGION', 'ICS')))
              AND instr(w.path, ',' || r.to_id || ',') = 0
              AND {Valid(dated)}
            UNION ALL
            SELECT r.from_id, w.depth + 1, w.path || r.from_id || ',', w.edges || r.key || ',', max(w.lo, r.valid_from), min(w.hi, r.valid_to)
            FROM walk w CROSS JOIN relationships r ON r.to_id = w.node AND r.type = 'AWARDED_TO' CROSS JOIN nodes n ON n.id = r.from_id
            WHERE w.depth < $max AND instr(w.path, ',' || r.from_id || ',') = 0 AND {Valid(dated)}
        )
        SELECT path, edges, lo, hi FROM walk w
        WHERE depth > 0 AND NOT EXISTS (SELECT 1 FROM walk x WHERE x.depth = w.depth + 1 AND substr(x.path, 1, length(w.path)) = w.path)
        ORDER BY depth, path
        """;

    /// <summary>Down oversight/commissioning/operation/contracts to the first private organisation (phase 1), then up controlling owners.</summary>
    public static string PrivatisationPaths(bool dated) => $"""
        WITH RECURSIVE walk(node, kind, phase, depth, path, edges, lo, hi, first_private) AS (
            SELECT id, kind, 0, 0, ',' || id || ',', '', '0001-01-01', '9999-12-31', NULL FROM nodes WHERE id = $id
            UNION ALL
            SELECT r.from_id, n.kind, n.sector = 'PRIVATE', w.depth + 1, w.path || r.from_id || ',', w.edges || r.key || ',',
                   max(w.lo, r.valid_from), min(w.hi, r.valid_to), CASE WHEN n.sector = 'PRIVATE' THEN w.depth + 1 END
            FROM walk w CROSS JOIN relationships r ON r.to_id = w.node CROSS JOIN nodes n ON n.id = r.from_id
            WHERE w.phase = 0 AND w.depth < $max
              AND (r.type IN ('ACCOUNTABLE_TO', 'COMMISSIONED_BY') OR (r.type = 'PART_OF' AND w.kind IN ('NATIONAL_BODY', 'REGION', 'ICS')))
              AND instr(w.path, ',' || r.from_id || ',') = 0 AND {Valid(dated)}
            UNION ALL
            SELECT r.to_id, n.kind, n.sector = 'PRIVATE', w.depth + 1, w.path || r.to_id || ',', w.edges || r.key || ',',
                   max(w.lo, r.valid_from), min(w.hi, r.valid_to), CASE WHEN n.sector = 'PRIVATE' THEN w.depth + 1 END
            FROM walk w CROSS JOIN relationships r ON r.from_id = w.node AND r.type IN ('OPERATED_BY', 'AWARDED_TO') CROSS JOIN nodes n ON n.id = r.to_id
            WHERE w.phase = 0 AND w.depth < $max AND instr(w.path, ',' || r.to_id || ',') = 0 AND {Valid(dated)}
            UNION ALL
            SELECT r.to_id, n.kind, 1, w.depth + 1, w.path || r.to_id || ',', w.edges || r.key || ',',
                   max(w.lo, r.valid_from), min(w.hi, r.valid_to), w.first_private
            FROM walk w CROSS JOIN relationships r ON r.from_id = w.node AND r.type = 'OWNED_BY' CROSS JOIN nodes n ON n.id = r.to_id
            WHERE w.phase = 1 AND w.depth < $max AND coalesce(json_extract(r.properties, '$.share'), 100) > 50
              AND instr(w.path, ',' || r.to_id || ',') = 0 AND {Valid(dated)}
        )
        SELECT path, edges, lo, hi, first_private FROM walk w
        WHERE phase = 1 AND NOT EXISTS (SELECT 1 FROM walk x WHERE x.phase = 1 AND x.depth = w.depth + 1 AND substr(x.path, 1, length(w.path)) = w.path)
        ORDER BY depth, path
        LIMIT $first
        """;

    /// <summary>
    /// Breadth-first (the CTE queue is FIFO) over relationships in both directions from $from, not expanding $to,
    /// depth at most $max; the outer LIMIT stops the walk once $first paths to $to are found.
    /// </summary>
    public static string Connections(bool dated) => $"""
        WITH RECURSIVE walk(node, depth, path, edges, lo, hi) AS (
            SELECT $from, 0, ',' || $from || ',', '', '0001-01-01', '9999-12-31'
            UNION ALL
            SELECT r.to_id, w.depth + 1, w.path || r.to_id || ',', w.edges || r.key || ',', max(w.lo, r.valid_from), min(w.hi, r.valid_to)
            FROM walk w CROSS JOIN relationships r ON r.from_id = w.node {(dated ? "CROSS JOIN nodes n ON n.id = r.to_id" : "")}
            WHERE w.node <> $to AND w.depth < $max AND instr(w.path, ',' || r.to_id || ',') = 0 AND {Valid(dated)}
            UNION ALL
            SELECT r.from_id, w.depth + 1, w.path || r.from_id || ',', w.edges || r.key || ',', max(w.lo, r.valid_from), min(w.hi, r.valid_to)
            FROM walk w CROSS JOIN relationships r ON r.to_id = w.node {(dated ? "CROSS JOIN nodes n ON n.id = r.from_id" : "")}
            WHERE w.node <> $to AND w.depth < $max AND instr(w.path, ',' || r.from_id || ',') = 0 AND {Valid(dated)}
        )
        SELECT path, edges, lo, hi FROM walk WHERE node = $to LIMIT $first
        """;

    /// <summary>A read-only connection whose statements are interrupted after a time limit.</summary>
    public sealed class Runner : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly TimeSpan _limit;
        private readonly SQLitePCL.delegate_progress _handler;
        private long _deadline = long.MaxValue;

        public Runner(string path, TimeSpan limit)
        {
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            _connection.Open();
            _limit = limit;
            _handler = _ => Stopwatch.GetTimestamp() > _deadline ? 1 : 0;
            SQLitePCL.raw.sqlite3_progress_handler(_connection.Handle, 10_000, _handler, null);
        }

        public int TimedOut { get; private set; }

        /// <summary>Runs a statement and reads every row; the row count, or -1 when interrupted.</summary>
        public int Run(string sql, params (string Name, object? Value)[] parameters)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            _deadline = Stopwatch.GetTimestamp() + (long)(_limit.TotalSeconds * Stopwatch.Frequency);
            try
            {
                using var reader = command.ExecuteReader();
                var rows = 0;
                while (reader.Read())
                {
                    _ = reader.GetString(0);
                    rows++;
                }

                return rows;
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_INTERRUPT)
            {
                TimedOut++;
                return -1;
            }
            finally
            {
                _deadline = long.MaxValue;
            }
        }

        public void Dispose()
        {
            SQLitePCL.raw.sqlite3_progress_handler(_connection.Handle, 0, null, null);
            _connection.Dispose();
        }
    }
}
