using GraphQL;
using GraphQL.Types;
using OrgGraph.Api.Writes;
using OrgGraph.Importing;
using OrgGraph.Model;
using OrgGraph.Storage;

namespace OrgGraph.Api.GraphQL.Types;

internal sealed class ChangeActionType : EnumerationGraphType<ChangeAction>
{
    public ChangeActionType()
    {
        Name = "ChangeAction";
        Description = "The mutation a change was made by.";
    }
}

internal sealed class ChangeType : ObjectGraphType<Change>
{
    public ChangeType()
    {
        Name = "Change";
        Description = "One write made through the API, from the audit trail: who (the API key's id), when, what, on which sources, and the records before and after.";
        Field(c => c.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("Stable key of the change.");
        Field(c => c.At).Description("When the write was made (UTC).");
        Field(c => c.KeyId).Description("The id of the API key that made it (the key itself is never stored).");
        Field(c => c.Action, type: typeof(NonNullGraphType<ChangeActionType>)).Description("Which mutation made it.");
        Field(c => c.Subject).Description("What was written, in words: an organisation id, a relationship, a source id, or the files and counts of an import.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("organisationIds")
            .Description("The organisations it touched (both ends of a relationship).").Resolve(c => c.Source.NodeIds);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SourceType>>>>("sources")
            .Description("The sources it cites.").Resolve(c => c.Loaders().Sources.LoadMany(c.Source.SourceIds));
        Field(c => c.Before, nullable: true).Description("The records it replaced, as JSON; null when it created them.");
        Field(c => c.After, nullable: true).Description("The records as written, as JSON.");
    }
}

internal sealed class ImportProblemType : ObjectGraphType<ImportProblem>
{
    public ImportProblemType()
    {
        Name = "ImportProblem";
        Description = "A value an import refused: where it is and why.";
        Field(p => p.File).Description("The file, e.g. nodes.csv.");
        Field(p => p.Line).Description("Physical line of the file, 1 for the header; 0 when the problem is the file itself.");
        Field(p => p.Column).Description("Column, from 1; 0 when the problem is the file or line itself.");
        Field(p => p.Field, nullable: true).Description("The column name, when the problem is one value.");
        Field(p => p.Reason).Description("Why the value was refused.");
        Field<NonNullGraphType<StringGraphType>>("message").Description("The whole problem as `file:line:column (field): reason`.").Resolve(c => c.Source.ToString());
    }
}

internal sealed class CsvImportResultType : ObjectGraphType<CsvImportResult>
{
    public CsvImportResultType()
    {
        Name = "CsvImportResult";
        Description = "What `importCsv` did: everything was written (`imported`), or nothing was and `problems` says why.";
        Field(r => r.Imported).Description("True when the upload was written; false when problems stopped it and nothing was written.");
        Field<NonNullGraphType<IntGraphType>>("sources").Description("Sources written.").Resolve(c => c.Source.Counts.Sources);
        Field<NonNullGraphType<IntGraphType>>("organisations").Description("Organisations written.").Resolve(c => c.Source.Counts.Nodes);
        Field<NonNullGraphType<IntGraphType>>("namesRolesAliases").Description("Names, roles and aliases written.").Resolve(c => c.Source.Counts.NodeFacts);
        Field<NonNullGraphType<IntGraphType>>("relationships").Description("Relationships written.").Resolve(c => c.Source.Counts.Relationships);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ImportProblemType>>>>("problems")
            .Description("Why nothing was written (the first 50 problems); empty when the upload was imported.").Resolve(c => c.Source.Problems);
        Field(r => r.ChangeId, type: typeof(IdGraphType)).Description("The audit record of the import, when it was written.");
    }
}

/// <summary>The read-only audit trail, on the query type.</summary>
internal static class ChangeFields
{
    public static void Add(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangeType>>>>("changes")
            .Description("The audit trail of writes made through the API, newest first: with `id`, only those that touched that organisation (its exact id). Seeding and the import command are not in it.")
            .Argument<IdGraphType>("id", "An organisation's exact id; default: every change.")
            .Argument<IntGraphType>("first", "How many changes to return.", a => a.DefaultValue = 50)
            .ResolveAsync(async c =>
            {
                var first = c.First(50, c.Limits().MaxPageSize);
                return c.Store() is IChangeLog log
                    ? await log.GetChangesAsync(c.GetArgument<string?>("id")?.Trim(), first, c.CancellationToken)
                    : [];
            });
    }
}
