namespace GovMail.Core.Security;

/// <summary>
/// The domain lists the official-use safeguards work from (settings <c>Safeguards:PublicMailDomains</c> and
/// <c>Safeguards:RegistrationSenderDomains</c>); an empty or missing list means <see cref="OfficialUse"/>'s defaults.
/// </summary>
public sealed record OfficialUseDomains(IReadOnlyCollection<string> PublicMail, IReadOnlyCollection<string> RegistrationSenders)
{
    public static OfficialUseDomains Defaults { get; } = new(OfficialUse.PublicMailDomains.ToList(), OfficialUse.RegistrationSenderDomains.ToList());

    public static OfficialUseDomains From(IReadOnlyCollection<string>? publicMail, IReadOnlyCollection<string>? registrationSenders) => new(
        publicMail is { Count: > 0 } p ? p : Defaults.PublicMail,
        registrationSenders is { Count: > 0 } r ? r : Defaults.RegistrationSenders);
}
