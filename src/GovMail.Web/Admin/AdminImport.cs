using GovMail.Core;
using GovMail.Core.Directory;
using GovMail.Core.Security;
using GovMail.Storage.Import;

namespace GovMail.Web.Admin;

/// <summary>
/// A staff list uploaded to the portal or the API, issued through the one <see cref="StaffListImporter"/> (as
/// <c>govmail account import</c>): read, checked row by row, limited to the administrator's scope (a row for a unit outside
/// it is a bad row), then applied all or nothing, or only previewed.
/// </summary>
public sealed class AdminImport(StaffListImporter importer)
{
    /// <summary>Uploads above this size are refused (a city agency's list is a few hundred kilobytes).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    public async Task<ImportPlan> RunAsync(byte[] content, string fileName, bool dryRun, AdminScope scope, string actor, CancellationToken ct)
    {
        if (content.Length > MaxBytes) return ImportPlan.Refused([new StaffListProblem(0, Problem.Of("WebAdminImportTooLarge", MaxBytes / (1024 * 1024)))]);
        using var stream = new MemoryStream(content, writable: false);
        var read = StaffListReader.Read(stream, fileName);
        if (!read.IsOk) return ImportPlan.Refused([new StaffListProblem(0, read.Problem)]);
        return await importer.ImportAsync(read.Rows, new ImportOptions
        {
            DryRun = dryRun,
            SourceName = Path.GetFileName(fileName),
            Scope = scope.AllowsEverywhere(Permission.ManageAccounts) ? null : scope,
        }, actor, ct);
    }
}
