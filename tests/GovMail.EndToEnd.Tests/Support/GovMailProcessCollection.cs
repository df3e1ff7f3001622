namespace GovMail.EndToEnd.Tests.Support;

/// <summary>The end-to-end tests start real processes: one class at a time, so they do not compete for the machine.</summary>
[CollectionDefinition(Name)]
public sealed class GovMailProcessCollection
{
    public const string Name = "govmail processes";
}
