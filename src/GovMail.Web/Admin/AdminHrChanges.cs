using GovMail.Core;
using GovMail.Core.Directory;
using GovMail.Core.Security;
using GovMail.Storage.Import;
using GovMail.Storage.Lifecycle;
using GovMail.Storage.Security;

namespace GovMail.Web.Admin;

/// <summary>
/// The HR change file (danh sách biến động nhân sự) uploaded on the portal, run by the same <see cref="HrChangeImporter"/> and
/// row check as <c>govmail account hr-changes</c>: all rows or none, each row's person and new unit within the scope.
/// </summary>
public sealed class AdminHrChanges(HrChangeImporter importer, AdminAccess access, IReadOnlyCollection<string> publicMail)
{
    public async Task<HrChangePlan> RunAsync(byte[] content, string fileName, bool dryRun, AdminScope scope, string actor, CancellationToken ct)
    {
        if (content.Length > AdminImport.MaxBytes) return Refused(Problem.Of("WebAdminImportTooLarge", AdminImport.MaxBytes / (1024 * 1024)));
        using var stream = new MemoryStream(content, writable: false);
        var read = HrChangeFileReader.Read(stream, fileName);
        if (!read.IsOk) return Refused(read.Problem!);
        return await importer.ApplyAsync(read.Rows, dryRun, actor, Path.GetFileName(fileName),
            (address, newUnit, c) => access.CheckHrChangeAsync(scope, address, newUnit, c), ct, publicMail);
    }

    private static HrChangePlan Refused(Problem problem) => new([], [new StaffListProblem(0, problem)], false);
}
