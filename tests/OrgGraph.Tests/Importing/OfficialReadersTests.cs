using System.Text.Json.Nodes;
using OrgGraph.Importing;
using OrgGraph.Importing.Official;
using OrgGraph.Model;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Importing;

/// <summary>
/// Each reader of official files on the real file in seed/official. Expectations are computed from the file
/// itself (by column position or header, not through the reader) or are facts checked by hand in the file.
/// </summary>
public sealed class OfficialReadersTests : IDisposable
{
    private static readonly Source StubSource = new() { Id = "stub", Title = "endpoints described by other files" };

    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-official-").FullName;
    private readonly Observations _obs = new();
    private readonly List<ImportProblem> _problems = [];

    public void Dispose() => Directory.Delete(_work, recursive: true);

    // ---- ODS etr / ect -------------------------------------------------------------------------------

    [Fact]
    public void Etr_KnownTrust_HasOdsDatesFoundationFlagPostcodeAndParent()
    {
        Read(new OdsReader(), "etr_2025-12.csv", OdsReader.Etr, new(2025, 12, 1));

        var trust = _obs.Entities["R0A"];
        Assert.Equal((OrgKind.Trust, Sector.Public), (trust.Kind, trust.Sector));
        Assert.Equal(new DateOnly(2017, 10, 1), trust.Opened);
        Assert.Null(trust.Closed);
        Assert.True(trust.Properties["foundationTrust"].Value!.GetValue<bool>());
        Assert.Equal("M13 9WL", trust.Properties["postcode"].Value!.GetValue<string>());

        var batch = BuildWith(OdsRows("etr_2025-12.csv").Select(r => r[3]));
        var parent = Assert.Single(batch.Relationships, r => r.From == "R0A");
        Assert.Equal((RelationshipType.PartOf, "QOP", new DateOnly(2025, 12, 1), (DateOnly?)null), (parent.Type, parent.To, parent.ValidFrom, parent.ValidTo));
        Assert.Contains(batch.NodeFacts, f => f.NodeId == "R0A" && f.Kind == NodeFactKind.Role && f.Value.Value == "FOUNDATION_TRUST");
    }

    [Fact]
    public void Etr_EveryRow_IsATrust_OnlyOpenRowsWithAGeographyGetAParent()
    {
        var rows = OdsRows("etr_2025-12.csv");
        Read(new OdsReader(), "etr_2025-12.csv", OdsReader.Etr, new(2025, 12, 1));
        var batch = BuildWith(rows.Select(r => r[3]));

        Assert.Equal(rows.Count, _obs.Entities.Values.Count(e => e.Kind == OrgKind.Trust));
        var open = rows.Where(r => r[11] == "").ToList();
        Assert.Equal(205, open.Count);
        Assert.Equal(140, open.Count(r => r[1].EndsWith("NHS FOUNDATION TRUST", StringComparison.Ordinal)));
        Assert.Equal(140, open.Count(r => _obs.Entities[r[0]].Properties["foundationTrust"].Value!.GetValue<bool>()));

        var expected = open.Where(r => r[3] is not ("" or "Q99")).Select(r => (r[0], r[3])).Order().ToList();
        Assert.Equal(expected, batch.Relationships.Where(r => r.Type == RelationshipType.PartOf).Select(r => (r.From, r.To)).Order().ToList());
        // The three Welsh trusts have no STP/ICB; closed trusts keep their ODS close date but get no parent.
        Assert.DoesNotContain(batch.Relationships, r => r.From is "RQF" or "RT4" or "RYT");
        var closed = rows.First(r => r[11] != "");
        Assert.Equal(DateOnly.ParseExact(closed[11], "yyyyMMdd"), _obs.Entities[closed[0]].Closed);
        Assert.DoesNotContain(batch.Relationships, r => r.From == closed[0]);
    }

    [Fact]
    public void Etr_Q99InThe2022File_MeansNoParent()
    {
        var q99 = OdsRows("etr_2022-03.csv").Where(r => r[3] == "Q99").Select(r => r[0]).ToList();
        Read(new OdsReader(), "etr_2022-03.csv", OdsReader.Etr, new(2022, 3, 1));
        var batch = BuildWith(OdsRows("etr_2022-03.csv").Select(r => r[3]));

        Assert.Equal(["RQF", "RT4", "RYT"], q99.Order());
        Assert.DoesNotContain(batch.Relationships, r => q99.Contains(r.From));
        Assert.DoesNotContain("Q99", _obs.Entities.Keys);
    }

    [Fact]
    public void EtrAndEct_CareTrustsDoNotCutTheTrustSeries()
    {
        var reader = new OdsReader();
        Read(reader, "etr_2022-03.csv", OdsReader.Etr, new(2022, 3, 1));
        Read(reader, "ect_2023-10.csv", OdsReader.Ect, new(2023, 10, 1));
        Read(reader, "etr_2025-12.csv", OdsReader.Etr, new(2025, 12, 1));
        var batch = BuildWith(OdsRows("etr_2025-12.csv").Concat(OdsRows("etr_2022-03.csv")).Concat(OdsRows("ect_2023-10.csv")).Select(r => r[3]));

        // R0A is in both etr files and not in ect: one name and one parent from 2022 on, unbroken.
        var name = Assert.Single(batch.NodeFacts, f => f.NodeId == "R0A" && f.Kind == NodeFactKind.Name).Value;
        Assert.Equal((new DateOnly(2022, 3, 1), (DateOnly?)null), (name.ValidFrom, name.ValidTo));
        var parent = Assert.Single(batch.Relationships, r => r.From == "R0A");
        Assert.Equal((new DateOnly(2022, 3, 1), (DateOnly?)null), (parent.ValidFrom, parent.ValidTo));

        foreach (var care in OdsRows("ect_2023-10.csv"))
        {
            Assert.Equal(OrgKind.Trust, _obs.Entities[care[0]].Kind);
            Assert.Contains(batch.NodeFacts, f => f.NodeId == care[0] && f.Kind == NodeFactKind.Role && f.Value.Value == "CARE_TRUST");
            Assert.Contains(batch.Relationships, r => r.From == care[0] && r.To == care[3] && r.Type == RelationshipType.PartOf);
        }
    }

    // ---- ODS eccg -------------------------------------------------------------------------------------

    [Fact]
    public void Eccg_CcgsAndSubIcbLocations_AreCcgs_OthersKeepTheirOdsRole()
    {
        var rows = OdsRows("eccg_2025-12.csv");
        Read(new OdsReader(), "eccg_2025-12.csv", OdsReader.Eccg, new(2025, 12, 1));

        var ccgs = rows.Where(r => r[1].EndsWith("CCG", StringComparison.Ordinal) || r[1].Contains(" ICB - ", StringComparison.Ordinal)).ToList();
        Assert.Equal((248, 72), (ccgs.Count, rows.Count - ccgs.Count));
        Assert.Equal(ccgs.Count, _obs.Entities.Values.Count(e => e.Kind == OrgKind.Ccg));
        Assert.Equal(rows.Count - ccgs.Count, _obs.Entities.Values.Count(e => e.Kind == OrgKind.Other));
        var batch = BuildWith(rows.Select(r => r[3]));
        Assert.DoesNotContain(batch.NodeFacts, f => f.Kind == NodeFactKind.Role);

        // NHS Darlington CCG closed with the 2020 mergers: dates kept, no parent read from today's column 4.
        Assert.Equal((new DateOnly(2013, 4, 1), (DateOnly?)new DateOnly(2020, 3, 31)), (_obs.Entities["00C"].Opened, _obs.Entities["00C"].Closed));
        Assert.DoesNotContain(batch.Relationships, r => r.From == "00C");

        // The 106 open sub-ICB locations each sit in their ICB.
        var ccgParents = batch.Relationships.Where(r => _obs.Entities[r.From].Kind == OrgKind.Ccg).Select(r => (r.From, r.To)).Order().ToList();
        Assert.Equal(ccgs.Where(r => r[11] == "").Select(r => (r[0], r[3])).Order().ToList(), ccgParents);
        Assert.Equal(106, ccgParents.Count);
        Assert.Contains(("00L", "QHM"), ccgParents);

        // A sub-ICB reporting entity reports to its ICB; a commissioning hub's column 4 is its office's address.
        Assert.Equal("RO327", _obs.Entities["A4R1E"].Properties["odsRole"].Value!.GetValue<string>());
        Assert.Contains(batch.Relationships, r => r.From == "A4R1E" && r.To == "QMF" && r.Type == RelationshipType.PartOf);
        Assert.Equal("RO218", _obs.Entities["13Q"].Properties["odsRole"].Value!.GetValue<string>());
        Assert.DoesNotContain(batch.Relationships, r => r.From == "13Q");
        Assert.Equal(37, batch.Relationships.Count(r => _obs.Entities[r.From].Kind == OrgKind.Other));
    }

    // ---- ODS epraccur ---------------------------------------------------------------------------------

    [Fact]
    public void Epraccur_OnlyGpPractices_ActiveOnesCommissionedSinceTheirJoinDate()
    {
        var rows = OdsRows("epraccur_2019-12.csv").Where(r => r[25] == "4").ToList();
        Read(new OdsReader(), "epraccur_2019-12.csv", OdsReader.Epraccur, new(2020, 1, 1));
        var batch = BuildWith(rows.Select(r => r[14]));

        Assert.Equal(8204, rows.Count);
        Assert.Equal(rows.Count, _obs.Entities.Count(e => e.Value.Kind == OrgKind.GpPractice));
        Assert.DoesNotContain(_obs.Entities.Values, e => e.Kind == OrgKind.GpPractice && !rows.Any(r => r[0] == e.Id));

        var commissioned = batch.Relationships.Where(r => r.Type == RelationshipType.CommissionedBy).ToList();
        Assert.Equal(rows.Count(r => r[12] is "A" or "D"), commissioned.Count);
        var densham = Assert.Single(commissioned, r => r.From == "A81001");
        Assert.Equal(("00K", new DateOnly(2013, 4, 1)), (densham.To, densham.ValidFrom));
        Assert.Equal("A", _obs.Entities["A81001"].Properties["status"].Value!.GetValue<string>());
        Assert.Equal("TS18 1HU", _obs.Entities["A81001"].Properties["postcode"].Value!.GetValue<string>());

        // Victoria Medical Practice closed in 2017: its commissioner is as at closure, so it is not read.
        Assert.Equal(new DateOnly(2017, 10, 31), _obs.Entities["A81003"].Closed);
        Assert.DoesNotContain(commissioned, r => r.From == "A81003");
        var closed = rows.Count(r => r[12] == "C");
        Assert.Contains(_obs.Report.Notes, n => n.Contains($"{closed} closed practices", StringComparison.Ordinal));
    }

    [Fact]
    public void Ods_MalformedCopy_ReportsFileLineColumnAndField()
    {
        var lines = File.ReadAllLines(OfficialPath("etr_2025-12.csv")).ToList();
        var shortLine = lines.Count + 1;
        lines.Add("\"ZZ1\",\"SHORT NHS TRUST\",\"Y56\"");
        var fields = Enumerable.Repeat("\"\"", 27).ToArray();
        (fields[0], fields[1], fields[10]) = ("\"ZZ2\"", "\"BAD DATE NHS TRUST\"", "\"20211345\"");
        var badDateLine = lines.Count + 1;
        lines.Add(string.Join(',', fields));
        var copy = Path.Combine(_work, "etr_bad.csv");
        File.WriteAllLines(copy, lines);

        new OdsReader().Read(Entry("etr_bad.csv", OdsReader.Etr, new(2025, 12, 1)), copy, _obs, _problems);

        Assert.Equal(2, _problems.Count);
        Assert.Equal(("etr_bad.csv", shortLine), (_problems[0].File, _problems[0].Line));
        Assert.Contains("found 3", _problems[0].Reason);
        Assert.Equal(("etr_bad.csv", badDateLine, 11, "Open Date"), (_problems[1].File, _problems[1].Line, _problems[1].Column, _problems[1].Field));
        Assert.Contains("20211345", _problems[1].Reason);
        Assert.DoesNotContain("ZZ1", _obs.Entities.Keys);
        Assert.DoesNotContain("ZZ2", _obs.Entities.Keys);
        Assert.Contains("R0A", _obs.Entities.Keys);
    }

    // ---- GP practice mapping --------------------------------------------------------------------------

    [Fact]
    public void GpMap_PracticesPcnsAndTheChainAbove()
    {
        var rows = OfficialFile.Read("gp_reg_pat_prac_map_2022-01.csv");
        Read(new GpPracticeMapReader(), "gp_reg_pat_prac_map_2022-01.csv", GpPracticeMapReader.Format, new(2022, 1, 1));

        Assert.Equal(6527, rows.Count);
        Assert.Equal(rows.Count, _obs.Entities.Values.Count(e => e.Kind == OrgKind.GpPractice));
        var pcns = rows.Select(r => r["PCN_CODE"]).Where(c => c != "U").Distinct().Count();
        Assert.Equal(1254, pcns);
        Assert.Equal(pcns, _obs.Entities.Values.Count(e => e.Kind == OrgKind.Pcn));
        // CCGs, STPs and regions are only edge targets here; the ONS lookups describe them.
        Assert.Equal(rows.Count + pcns, _obs.Entities.Count);
        var batch = BuildWith(rows.SelectMany(r => new[] { r["CCG_CODE"], r["STP_CODE"], r["COMM_REGION_CODE"] }));

        // Lucas Avenue Practice (Newham): Newham Central PCN, NHS North East London CCG.
        var lucas = batch.Relationships.Where(r => r.From == "F84642").Select(r => (r.Type, r.To)).ToHashSet();
        Assert.Equal([(RelationshipType.MemberOf, "U11373"), (RelationshipType.CommissionedBy, "A3A8R")], lucas);
        Assert.Contains(batch.Relationships, r => (r.Type, r.From, r.To) == (RelationshipType.PartOf, "A3A8R", "QMF"));
        Assert.Contains(batch.Relationships, r => (r.Type, r.From, r.To) == (RelationshipType.PartOf, "QMF", "Y56"));
        Assert.Contains(batch.NodeFacts, f => f.NodeId == "A3A8R" && f.Kind == NodeFactKind.Alias && f.Value.Value == "E38000255");

        var unallocated = rows.Where(r => r["PCN_CODE"] == "U").Select(r => r["PRACTICE_CODE"]).ToList();
        Assert.Equal(68, unallocated.Count);
        Assert.DoesNotContain(batch.Relationships, r => r.Type == RelationshipType.MemberOf && unallocated.Contains(r.From));
        Assert.Equal(rows.Count - unallocated.Count, batch.Relationships.Count(r => r.Type == RelationshipType.MemberOf));
        Assert.Equal(106, batch.Relationships.Count(r => r.Type == RelationshipType.PartOf && rows.Any(x => x["CCG_CODE"] == r.From)));
        Assert.Equal(42, batch.Relationships.Count(r => r.Type == RelationshipType.PartOf && rows.Any(x => x["STP_CODE"] == r.From)));
        Assert.Contains(_obs.Report.Notes, n => n.Contains("68 practices are in no PCN", StringComparison.Ordinal));
    }

    [Fact]
    public void GpMap_MissingColumn_IsAProblemAtLine1()
    {
        var lines = File.ReadAllLines(OfficialPath("gp_reg_pat_prac_map_2022-01.csv"));
        var copy = Path.Combine(_work, "map.csv");
        File.WriteAllLines(copy, [lines[0].Replace("PCN_CODE", "PCN_ID", StringComparison.Ordinal), .. lines[1..]]);

        new GpPracticeMapReader().Read(Entry("map.csv", GpPracticeMapReader.Format, new(2022, 1, 1)), copy, _obs, _problems);

        var problem = Assert.Single(_problems);
        Assert.Equal(("map.csv", 1, "PCN_CODE"), (problem.File, problem.Line, problem.Field));
        Assert.Empty(_obs.Entities);
    }

    // ---- ICB partners ---------------------------------------------------------------------------------

    [Fact]
    public void IcbPartners_SubIcbsAndTrusts_AreReadAsIndependentLists()
    {
        var rows = PartnerRows();
        Read(new IcbPartnersReader(), "ods_icb_partners_2023-08.csv", IcbPartnersReader.Format, new(2023, 8, 7));
        var batch = BuildWith(rows.SelectMany(r => r.Values.Where(v => v.Key.StartsWith("ODS ", StringComparison.Ordinal)).Select(v => v.Value)));

        var subIcb = rows.Where(r => r.Values["ODS Sub ICB Code"] != "").Select(r => (r.Values["ODS Sub ICB Code"], r.Values["ODS ICB Code"])).ToList();
        Assert.Equal(106, subIcb.Count);
        Assert.Equal(subIcb.Order(), batch.Relationships.Where(r => r.Type == RelationshipType.PartOf).Select(r => (r.From, r.To)).Order());

        var trusts = rows.Where(r => r.Values["ODS Trust Code"] != "").Select(r => (r.Values["ODS Trust Code"], r.Values["ODS ICB Code"])).Distinct().Order().ToList();
        Assert.Equal(trusts, batch.Relationships.Where(r => r.Type == RelationshipType.MemberOf).Select(r => (r.From, r.To)).Order());
        // The same trust can partner several ICBs (North West Ambulance Service with four).
        Assert.Equal(4, batch.Relationships.Count(r => r.From == "RX7" && r.Type == RelationshipType.MemberOf));
    }

    [Fact]
    public void IcbPartners_CouncilsMatchOnsLocalAuthoritiesByName_WhateverTheReadingOrder()
    {
        var reader = new IcbPartnersReader();
        Read(reader, "ods_icb_partners_2023-08.csv", IcbPartnersReader.Format, new(2023, 8, 7));
        // Local authorities as the ONS lookup names them, described after the partner file was read.
        foreach (var (id, name) in OfficialFile.Read("ltla19_utla19_apr2019.csv")
            .SelectMany(r => new[] { (r["LTLA19CD"], r["LTLA19NM"]), (r["UTLA19CD"], r["UTLA19NM"]) })
            .Where(a => a.Item1.StartsWith('E'))
            .Distinct())
        {
            DescribeAuthority(id, name, new(2019, 4, 1));
        }

        reader.Complete(_obs);
        var batch = BuildWith(PartnerRows().Select(r => r.Values["ODS ICB Code"]));
        var councils = batch.Relationships.Where(r => r.From.StartsWith('E')).ToList();

        Assert.Contains(councils, r => (r.Type, r.From, r.To, r.ValidFrom) == (RelationshipType.MemberOf, "E08000037", "QHM", new DateOnly(2023, 8, 7)));
        Assert.Contains(batch.NodeFacts, f => f.NodeId == "E08000037" && f.Kind == NodeFactKind.Alias && f.Value is { Value: "106", Scheme: AliasScheme.Ods });
        Assert.Contains(councils, r => (r.From, r.To) == ("E06000010", "QOQ")); // "Hull City Council" = Kingston upon Hull, City of
        Assert.Contains(councils, r => (r.From, r.To) == ("E06000002", "QHM")); // "Middlesborough Council", misspelt in the source
        Assert.Contains(councils, r => (r.From, r.To) == ("E06000052", "QT6")); // "Cornwall Council" = Cornwall
        Assert.Contains(councils, r => (r.From, r.To) == ("E09000001", "QMF")); // "Corporation of the City of London"

        // Cumberland Council was created in April 2023, after every ONS file here: reported at its line.
        var cumberland = PartnerRows().First(r => r.Values["Local Authority"] == "Cumberland Council");
        Assert.Contains(_obs.Report.Notes, n => n.StartsWith($"ods_icb_partners_2023-08.csv:{cumberland.Line}: council 'Cumberland Council'", StringComparison.Ordinal));
        var councilRows = PartnerRows().Count(r => r.Values["Local Authority"] != "");
        var unmatched = _obs.Report.Notes.Count(n => n.Contains("matches no local authority", StringComparison.Ordinal));
        Assert.Equal(170, councilRows);
        Assert.True(unmatched <= 10, $"{unmatched} councils unmatched:{Environment.NewLine}{_obs.Report}");
    }

    [Fact]
    public void IcbPartners_ReusedCouncilName_GoesToTheBodyMostRecentlyNamedSo()
    {
        var reader = new IcbPartnersReader();
        Read(reader, "ods_icb_partners_2023-08.csv", IcbPartnersReader.Format, new(2023, 8, 7));
        // Buckinghamshire County Council (E10000002) was replaced by the unitary Buckinghamshire Council
        // (E06000060) in April 2020; the partner list names both, under two ODS codes.
        DescribeAuthority("E10000002", "Buckinghamshire", new(2019, 4, 1));
        DescribeAuthority("E06000060", "Buckinghamshire", new(2021, 4, 1));

        reader.Complete(_obs);
        var batch = BuildWith(PartnerRows().Select(r => r.Values["ODS ICB Code"]));

        Assert.Equal(["QHG", "QU9"], batch.Relationships.Where(r => r.From == "E06000060").Select(r => r.To).Order());
        Assert.DoesNotContain(batch.Relationships, r => r.From == "E10000002");
    }

    [Fact]
    public void IcbPartners_AmbiguousCouncilName_IsReportedNotGuessed()
    {
        var reader = new IcbPartnersReader();
        Read(reader, "ods_icb_partners_2023-08.csv", IcbPartnersReader.Format, new(2023, 8, 7));
        DescribeAuthority("E10000002", "Buckinghamshire", new(2021, 4, 1));
        DescribeAuthority("E06000060", "Buckinghamshire", new(2021, 4, 1));

        reader.Complete(_obs);

        Assert.Equal(2, _obs.Report.Notes.Count(n => n.Contains("matches several local authorities (E06000060, E10000002)", StringComparison.Ordinal)));
        Assert.DoesNotContain(BuildWith([]).Relationships, r => r.From is "E10000002" or "E06000060");
    }

    [Theory]
    [InlineData("Gateshead Metropolitan Borough Council", "Gateshead")]
    [InlineData("Bristol City Council", "Bristol, City of")]
    [InlineData("Durham County Council", "County Durham")]
    [InlineData("Herefordshire Council", "Herefordshire, County of")]
    [InlineData("Bath & North East Somerset Council", "Bath and North East Somerset")]
    [InlineData("Newcastle-upon-Tyne City Council", "Newcastle upon Tyne")]
    [InlineData("London Borough of Richmond Upon Thames Council", "Richmond upon Thames")]
    [InlineData("Royal Borough of Kingston-Upon-Thames Council", "Kingston upon Thames")]
    [InlineData("City of Bradford Metropolitan District Council", "Bradford")]
    [InlineData("Council of the Isles of Scilly", "Isles of Scilly")]
    [InlineData("BCP Council", "Bournemouth, Christchurch and Poole")]
    [InlineData("St Helens Council", "St. Helens")]
    public void NormaliseCouncilName_OdsAndOnsSpellingsMeet(string ods, string ons) =>
        Assert.Equal(IcbPartnersReader.NormaliseCouncilName(ons), IcbPartnersReader.NormaliseCouncilName(ods));

    // ---- CSUs -----------------------------------------------------------------------------------------

    [Fact]
    public void CsuList_FiveCsusWithTheirNames()
    {
        Read(new CsuListReader(), "csu_list_2021_nhsx.csv", CsuListReader.Format, new(2021, 4, 1));
        var batch = _obs.Build();

        Assert.Equal(["0AR", "0CX", "0DE", "0DF", "0DJ"], _obs.Entities.Values.Where(e => e.Kind == OrgKind.Csu).Select(e => e.Id).Order());
        Assert.Equal("NHS Arden and Greater East Midlands Commissioning Support Unit", batch.Nodes.Single(n => n.Id == "0DE").Name);
    }

    // ---- IAPT pairs -----------------------------------------------------------------------------------

    [Fact]
    public void IaptPairs_SitesFoldIntoTheirTrust_NonNhsProvidersKeepTheirCode_PeriodsCutToLifetimes()
    {
        var iapt = new IaptPairsReader();
        var ods = new OdsReader();
        // The pairs are read before the trusts they refer to: the decision waits for Resolve.
        Read(iapt, "iapt_ccg_provider_pairs_2020-09_2021-09.csv", IaptPairsReader.Format, new(2021, 9, 30));
        Read(ods, "etr_2025-12.csv", OdsReader.Etr, new(2025, 12, 1));
        Read(ods, "ect_2023-10.csv", OdsReader.Ect, new(2023, 10, 1));
        Read(ods, "eccg_2025-12.csv", OdsReader.Eccg, new(2025, 12, 1));
        iapt.Resolve(_obs);
        var edges = _obs.Build().Relationships.Where(r => r.Type == RelationshipType.CommissionedBy).ToList();

        var rows = OfficialFile.Read("iapt_ccg_provider_pairs_2020-09_2021-09.csv");
        var trusts = OdsRows("etr_2025-12.csv").Concat(OdsRows("ect_2023-10.csv")).Select(r => r[0]).ToHashSet();
        var expected = rows.Where(r => r["CCG21CDH"] != "InvalidCode")
            .Select(r => (From: r["trust_code"].Length == 5 && trusts.Contains(r["trust_code"][..3]) ? r["trust_code"][..3] : r["trust_code"], To: r["CCG21CDH"]))
            .Distinct().Order().ToList();
        Assert.Equal(104, rows.Count(r => r["CCG21CDH"] == "InvalidCode"));
        Assert.Equal(expected, edges.Select(r => (r.From, r.To)).Order().ToList());

        // Ealing IAPT is a site of West London NHS Trust (RKL).
        var ealingCcg = rows.First(r => r["trust_code"] == "RKL07")["CCG21CDH"];
        var ealing = Assert.Single(edges, r => r.From == "RKL" && r.To == ealingCcg);
        var properties = JsonNode.Parse(ealing.Properties)!;
        Assert.Contains("RKL07", properties["site"]!.GetValue<string>());
        Assert.Contains("EALING IAPT", properties["siteName"]!.GetValue<string>());
        Assert.Equal("IAPT", properties["service"]!.GetValue<string>());
        Assert.DoesNotContain(edges, r => r.From.Length == 5 && trusts.Contains(r.From[..3]));

        // SignHealth is not an NHS body: its code stays, and no entity is made for it.
        Assert.Contains(edges, r => r.From == "AM7" && r.To == "00L");
        Assert.DoesNotContain("AM7", _obs.Entities.Keys);

        // Brent CCG closed on 2021-03-31; NHS North East London CCG opened on 2021-04-01.
        Assert.All(edges.Where(r => r.To == "07P"), r => Assert.Equal((new DateOnly(2020, 9, 1), (DateOnly?)new DateOnly(2021, 3, 31)), (r.ValidFrom, r.ValidTo)));
        Assert.All(edges.Where(r => r.To == "A3A8R"), r => Assert.Equal((new DateOnly(2021, 4, 1), (DateOnly?)new DateOnly(2021, 9, 30)), (r.ValidFrom, r.ValidTo)));
        Assert.Contains(edges, r => r.To == "07P");
        Assert.Contains(edges, r => r.To == "A3A8R");
        Assert.All(edges, r => Assert.Equal(Confidence.Reported, r.Confidence));
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static ManifestEntry Entry(string name, string format, DateOnly describes) =>
        new() { File = name, Format = format, Describes = describes, Source = new Source { Id = name, Title = name } };

    private void DescribeAuthority(string id, string name, DateOnly date)
    {
        var file = Entry($"ons-{date:yyyy}.csv", "ons-lookup", date);
        _obs.Entity(file, id, OrgKind.LocalAuthority, Sector.Public);
        _obs.Name(file, Series.LocalAuthority, id, name);
    }

    private static string OfficialPath(string name) => Path.Combine(Repo.Seed, "official", name);

    private void Read(IOfficialReader reader, string name, string format, DateOnly describes)
    {
        reader.Read(Entry(name, format, describes), OfficialPath(name), _obs, _problems);
        Assert.Empty(_problems);
    }

    /// <summary>The rows of a headerless ODS file, by 0-based column.</summary>
    private static List<IReadOnlyList<string>> OdsRows(string name)
    {
        using var stream = File.OpenRead(OfficialPath(name));
        return CsvReader.Read(stream, name).Select(r => r.Fields).ToList();
    }

    private static List<(int Line, Dictionary<string, string> Values)> PartnerRows()
    {
        const string name = "ods_icb_partners_2023-08.csv";
        using var stream = File.OpenRead(OfficialPath(name));
        var records = CsvReader.Read(stream, name).ToList();
        return records.Skip(1).Select(r => (r.Line, records[0].Fields.Select((h, i) => (h, v: r.Fields[i].Trim())).ToDictionary(p => p.h, p => p.v))).ToList();
    }

    /// <summary>
    /// Builds the graph after describing, as bare entities, the edge ends that other readers describe (ICBs,
    /// regions, CCGs), so the edges of the reader under test are all kept.
    /// </summary>
    private GraphBatch BuildWith(IEnumerable<string> endpoints)
    {
        var stub = new ManifestEntry { File = "stub", Format = "stub", Describes = DateOnly.MinValue, Source = StubSource };
        foreach (var id in endpoints.Where(id => id is not ("" or "Q99") && !_obs.Entities.ContainsKey(id)).Distinct())
        {
            _obs.Entity(stub, id, OrgKind.Other, Sector.Public);
        }

        return _obs.Build();
    }
}
