using OrgGraph.Importing;
using OrgGraph.Importing.Money;
using OrgGraph.Importing.Official;
using OrgGraph.Model;

namespace OrgGraph.Tests.Money;

/// <summary>The spend reader on the real files in seed/money: the layout variants, dates, and malformed lines reported with file and line.</summary>
public sealed class SpendReaderTests
{
    private readonly Observations _obs = new();
    private readonly List<ImportProblem> _problems = [];

    [Fact]
    public void Read_MergedFileWithEmptyAmounts_ReportsEachLineWithFileLineAndColumn_AndKeepsTheRest()
    {
        const string File = "spend/london_ccg_trust_2020-21_chpi/HILL.csv";
        var rows = SpendFile.Read(File);
        var empty = rows.Where(r => r.Fields["amount"].Trim() == "").Select(r => r.Line).ToList();
        var amountColumn = System.IO.File.ReadLines(SpendFile.PathOf(File)).First().Split(',').ToList().IndexOf("amount") + 1;
        Assert.NotEmpty(empty);

        Read(File, "RAS", "OVER_THRESHOLD");

        Assert.Empty(_problems);
        Assert.Equal(rows.Count - empty.Count, _obs.Money.Payments.Count);
        foreach (var line in empty)
        {
            Assert.Contains(_obs.Report.Notes, n => n.StartsWith($"money/{File}:{line}:{amountColumn} (Amount): the amount is empty", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Read_EmptyDates_AreReportedAndLeftOut()
    {
        const string File = "spend/london_ccg_trust_2020-21_chpi/NWBR.csv";
        var rows = SpendFile.Read(File);
        var undated = rows.Where(r => r.Fields["date"].Trim() == "").Select(r => r.Line).ToList();
        Assert.NotEmpty(undated);

        Read(File, "07P", "INVOICE_LINES");

        Assert.All(undated, line => Assert.Contains(_obs.Report.Notes, n => n.StartsWith($"money/{File}:{line}:", StringComparison.Ordinal) && n.Contains("(Date of payment): the date is empty", StringComparison.Ordinal)));
        Assert.DoesNotContain(_obs.Money.Payments, p => undated.Contains(p.Line));
    }

    [Fact]
    public void Read_MixedDateFormats_EachLineDatedInTheMonthOfItsMonthlyFile()
    {
        // EPSH mixes m/d/yyyy ("9/30/2020") and dd/mm/yyyy within one merged file; the fiscal month in each line's
        // source file name (01 = April) says which month the line belongs to.
        const string File = "spend/london_ccg_trust_2020-21_chpi/EPSH.csv";
        Read(File, "RVR", "INVOICE_LINES");
        var origin = SpendFile.Read(File).ToDictionary(r => r.Line, r => r.Fields["file"]);

        var checkedLines = 0;
        foreach (var payment in _obs.Money.Payments)
        {
            var fiscal = int.Parse(origin[payment.Line][5..7], System.Globalization.CultureInfo.InvariantCulture);
            var month = (fiscal + 2) % 12 + 1;
            if (payment.Date.Year == (fiscal <= 9 ? 2020 : 2021) && payment.Date.Month == month)
            {
                checkedLines++;
            }
        }

        // A few lines are dated outside their file's month (SOURCES-money.md: EPSH has dates from Jan 2020); nearly all are inside.
        Assert.True(checkedLines > _obs.Money.Payments.Count * 0.95, $"{checkedLines} of {_obs.Money.Payments.Count} lines in their file's month");
    }

    [Theory]
    [InlineData("24/04/2020", true, 2020, 4, 24)]
    [InlineData("9/30/2020", true, 2020, 9, 30)]
    [InlineData("04/05/2020", false, 2020, 4, 5)]
    [InlineData("04/05/2020", true, 2020, 5, 4)]
    [InlineData("30-NOV-2020 ", true, 2020, 11, 30)]
    [InlineData("04-Aug-20", true, 2020, 8, 4)]
    [InlineData("2020-04-03 00:00:00", true, 2020, 4, 3)]
    [InlineData("31/03/21", true, 2021, 3, 31)]
    public void TryDate_PublishedFormats(string text, bool dayFirst, int year, int month, int day)
    {
        Assert.True(SpendReader.TryDate(text, dayFirst, out var date, out _));
        Assert.Equal(new DateOnly(year, month, day), date);
    }

    [Theory]
    [InlineData("31/02/2020")]
    [InlineData("2020-13-01")]
    [InlineData("next week")]
    public void TryDate_NotADate_SaysWhy(string text)
    {
        Assert.False(SpendReader.TryDate(text, true, out _, out var why));
        Assert.Contains(text, why);
    }

    [Theory]
    [InlineData("1,234.56", 123456)]
    [InlineData("-81844.0", -8184400)]
    [InlineData("(12.50)", -1250)]
    [InlineData("£25,000", 2500000)]
    public void TryPence_PublishedAmounts(string text, long pence)
    {
        Assert.True(SpendReader.TryPence(text, out var parsed));
        Assert.Equal(pence, parsed);
    }

    [Fact]
    public void Read_ManifestWithoutBodyOrGranularity_IsAProblemAtTheManifestLine()
    {
        Read("spend/london_ccg_trust_2020-21_chpi/SGEO.csv", null, "QUARTERLY");

        Assert.Contains(_problems, p => p.File == Manifest.FileName && p.Line == 7 && p.Field == "body");
        Assert.Contains(_problems, p => p.File == Manifest.FileName && p.Line == 7 && p.Field == "granularity");
        Assert.Empty(_obs.Money.Payments);
    }

    private void Read(string relative, string? body, string granularity) =>
        new SpendReader().Read(new ManifestEntry
        {
            File = "money/" + relative,
            Format = SpendReader.Format,
            Describes = new DateOnly(2021, 3, 31),
            Source = new Source { Id = "test", Title = relative },
            Body = body,
            Granularity = granularity,
            Line = 7,
        }, SpendFile.PathOf(relative), _obs, _problems);
}
