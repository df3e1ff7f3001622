using System.Runtime.CompilerServices;

namespace GovMail.EndToEnd.Tests.Support;

/// <summary>Settings for the whole test process and the <c>govmail</c> processes it starts, made before any test runs.</summary>
internal static class TestEnvironment
{
#pragma warning disable CA2255 // A test assembly is the application here: it owns its process environment.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Prepare()
    {
        // Argon2id at its cheapest: accounts are issued with a password, and the server verifies with the stored hash's own cost.
        Environment.SetEnvironmentVariable("GOVMAIL__SECURITY__PASSWORDHASHMEMORYKIB", "1024");
        Environment.SetEnvironmentVariable("GOVMAIL__SECURITY__PASSWORDHASHITERATIONS", "1");
        // The developer's own settings must not leak into the tests: each test names its data folder and its ports.
        foreach (var name in new[]
                 {
                     "GOVMAIL_LANG", "GOVMAIL_DATA", "GOVMAIL_DEBUG", "GOVMAIL__DATA", "GOVMAIL__DATABASE__PROVIDER",
                     "GOVMAIL__DATABASE__CONNECTIONSTRING", "GOVMAIL__LISTENERS__BIND", "GOVMAIL__HOSTNAME", "GOVMAIL__PUBLICURL",
                     "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS",
                 })
            Environment.SetEnvironmentVariable(name, null);
    }
}
