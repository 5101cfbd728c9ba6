using GraphQL;
using GraphQL.Types;
using OrgGraph.Api.Writes;
using OrgGraph.Model;

namespace OrgGraph.Api.GraphQL.Types;

internal sealed class MutationType : ObjectGraphType
{
    private const string Auth =
        " Needs an API key (`Authorization: Bearer <key>` or `X-Api-Key: <key>`): without one the error code is UNAUTHENTICATED, with a wrong one INVALID_API_KEY, " +
        "and AUTH_NOT_CONFIGURED when the server has no keys; then nothing is written.";

    public MutationType()
    {
        Name = "Mutation";
        Description = "Writes, each with an API key. Every write is recorded in the audit trail (`changes`) with the key's id, the time and its sources, " +
            "in the same transaction. Nothing is deleted: retiring sets `validTo`, so history stays queryable. Invalid input is INVALID_ARGUMENT, " +
            "an unknown id NOT_FOUND; `extensions.field` names the field. A write that finds the store held by another process (an import) for too long is STORE_BUSY; then too nothing is written.";

        Field<NonNullGraphType<OrganisationType>>("upsertOrganisation")
            .Description("Creates an organisation, or replaces the one with the same id (its names, roles and aliases are kept; sources accumulate)." + Auth)
            .Argument<NonNullGraphType<OrganisationInputType>>("input", "The organisation.")
            .ResolveAsync(async c =>
            {
                var writer = Authenticate(c);
                return await Writes(c).UpsertOrganisationAsync(writer, c.GetArgument<OrganisationInput>("input"), c.CancellationToken);
            });

        Field<NonNullGraphType<OrganisationType>>("retireOrganisation")
            .Description("Closes an organisation: sets its `validTo`, keeping the record, so it is still found by id and on dates before `validTo`. " +
                "Its relationships still open after `validTo` end on the same day, each recorded in the audit trail (RETIRE_RELATIONSHIP) with the same key, time and sources; " +
                "on earlier dates they still answer." + Auth)
            .Argument<NonNullGraphType<IdGraphType>>("id", "The organisation's exact id.")
            .Argument<NonNullGraphType<IsoDateGraphType>>("validTo", "Its last day; not before its `validFrom`.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("sourceUrls", "1 to 20 absolute http(s) URLs backing the closure.")
            .ResolveAsync(async c =>
            {
                var writer = Authenticate(c);
                return await Writes(c).RetireOrganisationAsync(writer, c.GetArgument<string>("id"), c.GetArgument<DateOnly>("validTo"),
                    c.GetArgument<List<string>>("sourceUrls"), c.CancellationToken);
            });

        Field<NonNullGraphType<RelationshipGraphType>>("upsertRelationship")
            .Description("Creates a relationship, or replaces the one with the same type, ends and `validFrom` (sources accumulate). Both ends must exist." + Auth)
            .Argument<NonNullGraphType<RelationshipInputType>>("input", "The relationship.")
            .ResolveAsync(async c =>
            {
                var writer = Authenticate(c);
                return await Writes(c).UpsertRelationshipAsync(writer, c.GetArgument<RelationshipInput>("input"), c.CancellationToken);
            });

        Field<NonNullGraphType<RelationshipGraphType>>("retireRelationship")
            .Description("Ends a relationship: sets its `validTo`, keeping it, so it still answers for dates before `validTo`." + Auth)
            .Argument<NonNullGraphType<RelationshipTypeType>>("type", "Its type.")
            .Argument<NonNullGraphType<IdGraphType>>("from", "The exact id of the organisation it starts at.")
            .Argument<NonNullGraphType<IdGraphType>>("to", "The exact id of the organisation it ends at.")
            .Argument<IsoDateGraphType>("validFrom", "Its first day, which identifies it; null for a relationship with an open start.")
            .Argument<NonNullGraphType<IsoDateGraphType>>("validTo", "Its last day; not before `validFrom`.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("sourceUrls", "1 to 20 absolute http(s) URLs backing the end.")
            .ResolveAsync(async c =>
            {
                var writer = Authenticate(c);
                return await Writes(c).RetireRelationshipAsync(writer, new RetireRelationshipInput
                {
                    Type = c.GetArgument<RelationshipType>("type"),
                    From = c.GetArgument<string>("from"),
                    To = c.GetArgument<string>("to"),
                    ValidFrom = c.GetArgument<DateOnly?>("validFrom"),
                    ValidTo = c.GetArgument<DateOnly>("validTo"),
                    SourceUrls = c.GetArgument<List<string>>("sourceUrls"),
                }, c.CancellationToken);
            });

        Field<NonNullGraphType<SourceType>>("upsertSource")
            .Description("Creates a source, or replaces the one with the same id: e.g. gives a URL cited in `sourceUrls` its title and publisher." + Auth)
            .Argument<NonNullGraphType<SourceInputType>>("input", "The source.")
            .ResolveAsync(async c =>
            {
                var writer = Authenticate(c);
                return await Writes(c).UpsertSourceAsync(writer, c.GetArgument<SourceInput>("input"), c.CancellationToken);
            });

        Field<NonNullGraphType<CsvImportResultType>>("importCsv")
            .Description("Imports files in the project's CSV format (docs/csv-format.md; sources.csv and nodes.csv required), all or nothing: " +
                "either everything is written, in one transaction, or nothing is and `problems` lists each as file:line:column (field): reason. " +
                "References may point to records already in the graph. An upload is bounded by the request size limit, and by 10,000,000 characters in all (LIMIT_EXCEEDED)." + Auth)
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<CsvFileInputType>>>>("files", "The files, each at most once.")
            .ResolveAsync(async c =>
            {
                var writer = Authenticate(c);
                return await Writes(c).ImportCsvAsync(writer, c.GetArgument<List<CsvFileInput>>("files"), c.CancellationToken);
            });
    }

    private static GraphWriter Writes(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<GraphWriter>();

    /// <summary>The writer the request's API key authenticates; before anything else, so a refused write reads and writes nothing.</summary>
    private static Writer Authenticate(IResolveFieldContext context)
    {
        var services = context.RequestServices!;
        try
        {
            return services.GetRequiredService<ApiKeyAuthenticator>().Authenticate(services.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request);
        }
        catch (AuthError e)
        {
            services.GetRequiredService<ILogger<MutationType>>().LogWarning("Write {Field} refused: {Code}", context.FieldDefinition.Name, e.Code);
            throw;
        }
    }
}
