using System.Globalization;
using Microsoft.Data.Sqlite;
using OrgGraph.Model;
using OrgGraph.Traversal;
using SQLitePCL;
using static OrgGraph.Storage.Sqlite.SqliteRows;

namespace OrgGraph.Storage.Sqlite;

/// <summary>Payment lines, spend roll-ups and the supplier resolution report on the embedded store.</summary>
public sealed partial class SqliteGraphStore
{
    /// <summary>The bodies a spend roll-up covers: the node and everything transitively PART_OF it at any time.</summary>
    private const string WithinBodies = """
        WITH RECURSIVE within(id) AS (
            SELECT $within
            UNION
            SELECT r.from_id FROM relationships r JOIN within w ON r.to_id = w.id WHERE r.type = 'PART_OF'
        )
        """;

    private const string PaymentColumns =
        "p.source_id, p.line, (SELECT f.file FROM payment_files f WHERE f.source_id = p.source_id), p.body_id, p.supplier_id, p.supplier, p.paid_on, p.amount, p.expense_type, p.expense_area, p.transaction_number, p.granularity";

    /// <summary>Above this many lines, the payment indexes are dropped and rebuilt: sorting once beats 370,000 random index inserts.</summary>
    private const int BulkPayments = 20_000;

    private static async Task UpsertPaymentsAsync(SqliteConnection connection, IReadOnlyList<PaymentLine> payments, CancellationToken cancellationToken)
    {
        if (payments.Count == 0)
        {
            return;
        }

        var bulk = payments.Count > BulkPayments;
        if (bulk)
        {
            // Before the delete too: replacing a source's lines then updates one index, not three.
            await ExecuteAsync(connection, null, "DROP INDEX IF EXISTS payments_body; DROP INDEX IF EXISTS payments_supplier;", cancellationToken);
        }

        await using (var replace = Command(connection, """
            DELETE FROM payments WHERE source_id IN (SELECT value FROM json_each($sources));
            INSERT OR REPLACE INTO payment_files (source_id, file) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each($files);
            """))
        {
            var files = payments.Select(p => (p.SourceId, p.File)).Distinct().ToList();
            replace.Parameters.AddWithValue("$sources", Json(files.Select(f => f.SourceId)));
            replace.Parameters.AddWithValue("$files", System.Text.Json.JsonSerializer.Serialize(files.Select(f => new[] { f.SourceId, f.File })));
            await replace.ExecuteNonQueryAsync(cancellationToken);
        }

        InsertPayments(connection, payments, cancellationToken);
        if (bulk)
        {
            await ExecuteAsync(connection, null, SqliteSchema.PaymentIndexes, cancellationToken);
        }

        await using var totals = Command(connection, """
            DELETE FROM payment_totals WHERE body_id IN (SELECT value FROM json_each($bodies));
            INSERT INTO payment_totals (body_id, paid_on, supplier_id, granularity, amount, lines)
            SELECT body_id, paid_on, supplier_id, granularity, sum(amount), count(*) FROM payments
            WHERE body_id IN (SELECT value FROM json_each($bodies)) GROUP BY body_id, paid_on, supplier_id, granularity;
            """);
        totals.Parameters.AddWithValue("$bodies", Json(payments.Select(p => p.BodyId).Distinct()));
        await totals.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One statement per line, through <see cref="WriteRows"/> (a JSON array of rows instead cost SQLite a parse per column).</summary>
    private static void InsertPayments(SqliteConnection connection, IReadOnlyList<PaymentLine> payments, CancellationToken cancellationToken)
    {
        var granularities = Enum.GetValues<SpendGranularity>().ToDictionary(g => g, g => System.Text.Encoding.UTF8.GetBytes(EnumNames.ToWire(g)));
        var date = new byte[10];
        WriteRows(connection, """
            INSERT INTO payments (source_id, line, body_id, supplier_id, supplier, paid_on, amount, expense_type, expense_area, transaction_number, granularity)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            """, payments,
            (statement, p) =>
            {
                p.Date.TryFormat(date, out _, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                BindText(statement, 1, p.SourceId);
                raw.sqlite3_bind_int(statement, 2, p.Line);
                BindText(statement, 3, p.BodyId, p.SupplierId, p.Supplier);
                raw.sqlite3_bind_text(statement, 6, date);
                raw.sqlite3_bind_int64(statement, 7, p.AmountPence);
                BindText(statement, 8, p.ExpenseType, p.ExpenseArea, p.TransactionNumber);
                raw.sqlite3_bind_text(statement, 11, granularities[p.Granularity]);
            },
            cancellationToken);
    }

    private static async Task UpsertSupplierMatchesAsync(SqliteConnection connection, IReadOnlyList<SupplierMatch> matches, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, """
            INSERT OR REPLACE INTO supplier_matches (supplier_key, example, node_id, method, score, candidate_id, evidence, lines)
            VALUES ($key, $example, $node, $method, $score, $candidate, $evidence, $lines)
            """);
        foreach (var m in matches)
        {
            Set(command, ("$key", m.SupplierKey), ("$example", m.Example), ("$node", m.NodeId), ("$method", EnumNames.ToWire(m.Method)), ("$score", m.Score),
                ("$candidate", m.CandidateId), ("$evidence", m.Evidence), ("$lines", m.Lines));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task UpsertCompanyEvidenceAsync(SqliteConnection connection, IReadOnlyDictionary<string, KnownCompany> evidence, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, """
            INSERT OR REPLACE INTO supplier_evidence (supplier_key, company_number, company_name, community_interest, source_id, file, line)
            VALUES ($key, $number, $name, $cic, $source, $file, $line)
            """);
        foreach (var (key, c) in evidence)
        {
            Set(command, ("$key", key), ("$number", c.Number), ("$name", c.Name), ("$cic", c.CommunityInterest), ("$source", c.SourceId), ("$file", c.File), ("$line", c.Line));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyDictionary<string, KnownCompany>> CompanyEvidenceAsync(CancellationToken cancellationToken)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        await using var command = Command(lease.Connection,
            "SELECT supplier_key, company_number, company_name, community_interest, source_id, file, line FROM supplier_evidence", lease.Transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new Dictionary<string, KnownCompany>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = new KnownCompany(reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetString(4), reader.GetString(5), reader.GetInt32(6));
        }

        return result;
    }

    public async Task<PaymentPage> PaymentsAsync(PaymentQuery query, CancellationToken cancellationToken)
    {
        const string Filter = """
            ($from IS NULL OR p.body_id = $from) AND ($to IS NULL OR p.supplier_id = $to)
            AND p.paid_on >= $start AND p.paid_on <= $end
            """;
        void Bind(SqliteCommand c)
        {
            c.Parameters.AddWithValue("$from", (object?)query.From ?? DBNull.Value);
            c.Parameters.AddWithValue("$to", (object?)query.To ?? DBNull.Value);
            c.Parameters.AddWithValue("$start", Start(query.Start));
            c.Parameters.AddWithValue("$end", End(query.End));
        }

        await using var lease = await LeaseAsync(cancellationToken);
        var (connection, snapshot) = (lease.Connection, lease.Transaction);
        var cells = new List<(string, string, SpendGranularity, int)>();
        long total = 0;
        await using (var summary = Command(connection, $"""
            SELECT p.body_id, substr(p.paid_on, 1, 7), p.granularity, count(*), sum(p.amount) FROM payments p WHERE {Filter} GROUP BY 1, 2, 3
            """, snapshot))
        {
            Bind(summary);
            await using var reader = await summary.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                cells.Add((reader.GetString(0), reader.GetString(1), EnumNames.Parse<SpendGranularity>(reader.GetString(2)), reader.GetInt32(3)));
                total += reader.GetInt64(4);
            }
        }

        var lines = new List<PaymentLine>();
        await using (var page = Command(connection, $"""
            SELECT {PaymentColumns} FROM payments p WHERE {Filter}
            AND ($afterDate IS NULL OR (p.paid_on, p.source_id, p.line) > ($afterDate, $afterSource, $afterLine))
            ORDER BY p.paid_on, p.source_id, p.line LIMIT $limit
            """, snapshot))
        {
            Bind(page);
            page.Parameters.AddWithValue("$afterDate", query.After is { } a ? a.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value);
            page.Parameters.AddWithValue("$afterSource", (object?)query.After?.SourceId ?? DBNull.Value);
            page.Parameters.AddWithValue("$afterLine", (object?)query.After?.Line ?? DBNull.Value);
            page.Parameters.AddWithValue("$limit", query.First + 1);
            await using var reader = await page.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                lines.Add(new PaymentLine
                {
                    SourceId = reader.GetString(0),
                    Line = reader.GetInt32(1),
                    File = reader.GetString(2),
                    BodyId = reader.GetString(3),
                    SupplierId = reader.GetString(4),
                    Supplier = Text(5),
                    Date = DateOnly.ParseExact(reader.GetString(6), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    AmountPence = reader.GetInt64(7),
                    ExpenseType = Text(8),
                    ExpenseArea = Text(9),
                    TransactionNumber = Text(10),
                    Granularity = EnumNames.Parse<SpendGranularity>(reader.GetString(11)),
                });
            }
        }

        var hasNext = lines.Count > query.First;
        return new PaymentPage(hasNext ? lines.Take(query.First).ToList() : lines, cells.Sum(c => c.Item4), hasNext, total, SpendCoverage.From(cells));
    }

    public async Task<SpendResult> SpendAsync(SpendQuery query, CancellationToken cancellationToken)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        var (connection, snapshot) = (lease.Connection, lease.Transaction);
        var g = await IndexAsync(connection, snapshot, cancellationToken);
        var rows = new List<(string Body, string Supplier, string Paid, SpendGranularity Granularity, long Pence, int Lines)>();
        await using (var command = Command(connection, $"""
            {WithinBodies}
            SELECT t.body_id, t.supplier_id, t.paid_on, t.granularity, t.amount, t.lines
            FROM payment_totals t WHERE t.body_id IN (SELECT id FROM within) AND t.paid_on >= $start AND t.paid_on <= $end
            """, snapshot))
        {
            command.Parameters.AddWithValue("$within", query.Within);
            command.Parameters.AddWithValue("$start", Start(query.From));
            command.Parameters.AddWithValue("$end", End(query.To));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var granularities = new Dictionary<string, SpendGranularity>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(3);
                if (!granularities.TryGetValue(name, out var granularity))
                {
                    granularities[name] = granularity = EnumNames.Parse<SpendGranularity>(name);
                }

                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), granularity, reader.GetInt64(4), reader.GetInt32(5)));
            }
        }

        var owners = new Dictionary<(string Supplier, string Paid), string>();
        var warnings = new List<string>();
        string KeyOf((string Body, string Supplier, string Paid, SpendGranularity, long, int) row)
        {
            switch (query.GroupBy)
            {
                case SpendGrouping.Supplier:
                    return row.Supplier;
                case SpendGrouping.Sector:
                    return g.IndexOf(row.Supplier) is { } i ? EnumNames.ToWire(g.Sectors[i]) : EnumNames.ToWire(Sector.Unknown);
                default:
                    if (owners.TryGetValue((row.Supplier, row.Paid), out var owner))
                    {
                        return owner;
                    }

                    if (g.IndexOf(row.Supplier) is not { } node || !Ownership.HasOwner(g, node))
                    {
                        return row.Supplier;
                    }

                    var roots = Ownership.UltimateOwners(g, node, DateOnly.ParseExact(row.Paid, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber);
                    if (roots.Count > 1)
                    {
                        warnings.Add($"{row.Supplier} has {roots.Count} ultimate owners on {row.Paid} ({string.Join(", ", roots.Select(r => g.Ids[r]))}); counted under {g.Ids[roots[0]]}");
                    }

                    return owners[(row.Supplier, row.Paid)] = g.Ids[roots[0]];
            }
        }

        var groups = rows.GroupBy(KeyOf, StringComparer.Ordinal)
            .Select(grp => new SpendGroup(grp.Key, grp.Sum(r => r.Pence), grp.Sum(r => r.Lines), grp.Select(r => r.Supplier).Distinct().Count()))
            .OrderByDescending(s => s.TotalPence).ThenBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        var coverage = SpendCoverage.From(rows.Select(r => (r.Body, r.Paid[..7], r.Granularity, r.Lines)));
        coverage = coverage with { Warnings = [.. coverage.Warnings, .. warnings.Distinct()] };
        return new SpendResult(groups, rows.Sum(r => r.Pence), coverage);
    }

    public async Task<IReadOnlyList<SupplierMatch>> SupplierMatchesAsync(MatchMethod? method, int first, CancellationToken cancellationToken)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        await using var command = Command(lease.Connection, """
            SELECT supplier_key, example, node_id, method, score, candidate_id, evidence, lines FROM supplier_matches
            WHERE $method IS NULL OR method = $method ORDER BY score DESC, lines DESC, supplier_key LIMIT $limit
            """, lease.Transaction);
        command.Parameters.AddWithValue("$method", method is { } m ? EnumNames.ToWire(m) : DBNull.Value);
        command.Parameters.AddWithValue("$limit", first);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<SupplierMatch>();
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            result.Add(new SupplierMatch
            {
                SupplierKey = reader.GetString(0),
                Example = Text(1),
                NodeId = reader.GetString(2),
                Method = EnumNames.Parse<MatchMethod>(reader.GetString(3)),
                Score = reader.GetDouble(4),
                CandidateId = Text(5),
                Evidence = Text(6),
                Lines = reader.GetInt32(7),
            });
        }

        return result;
    }
}
