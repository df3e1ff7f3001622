using System.Xml.Linq;

namespace GovMail.Core.Tests.Resources;

/// <summary>The Vietnamese (default) and English message files say the same things: one entry per key, the same keys, no empty text.</summary>
public sealed class MessageResourceTests
{
    public static TheoryData<string> Files => new() { "Messages.resx", "Messages.en.resx" };

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_key_is_defined_once(string file)
    {
        var repeated = Entries(file).GroupBy(e => e.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(repeated);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void No_text_is_empty(string file)
    {
        var empty = Entries(file).Where(e => string.IsNullOrWhiteSpace(e.Value)).Select(e => e.Name).ToList();
        Assert.Empty(empty);
    }

    [Fact]
    public void Vietnamese_and_English_have_the_same_keys()
    {
        var vi = Entries("Messages.resx").Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var en = Entries("Messages.en.resx").Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(vi.Except(en).Order(StringComparer.Ordinal));
        Assert.Empty(en.Except(vi).Order(StringComparer.Ordinal));
        Assert.NotEmpty(vi);
    }

    private static List<(string Name, string Value)> Entries(string file) =>
        XDocument.Load(Path.Combine(AppContext.BaseDirectory, "Resources", file)).Root!.Elements("data")
            .Select(d => ((string?)d.Attribute("name") ?? "", (string?)d.Element("value") ?? ""))
            .ToList();
}
