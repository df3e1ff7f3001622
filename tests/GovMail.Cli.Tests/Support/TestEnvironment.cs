using System.Runtime.CompilerServices;
using GovMail.Core;

namespace GovMail.Cli.Tests.Support;

/// <summary>Settings for the whole test process (and the govmail processes it starts), made before any test runs.</summary>
internal static class TestEnvironment
{
#pragma warning disable CA2255 // A test assembly is the application here: it owns its process environment.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Prepare()
    {
        // Argon2id at its production cost takes a noticeable fraction of a second per hash; tests issue hundreds.
        Environment.SetEnvironmentVariable("GOVMAIL__SECURITY__PASSWORDHASHMEMORYKIB", "1024");
        Environment.SetEnvironmentVariable("GOVMAIL__SECURITY__PASSWORDHASHITERATIONS", "1");
        // The developer's own settings must not leak into the tests: each test names its data folder and language.
        foreach (var name in new[] { "GOVMAIL_LANG", "GOVMAIL_DATA", "GOVMAIL_DEBUG", "GOVMAIL__DATA", "GOVMAIL__DATABASE__PROVIDER", "GOVMAIL__DATABASE__CONNECTIONSTRING" })
            Environment.SetEnvironmentVariable(name, null);
        Messages.UserCulture = Messages.Vietnamese;
    }
}
