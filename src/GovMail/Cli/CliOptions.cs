using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using GovMail.Core;

namespace GovMail.Cli;

/// <summary>Options whose bad values get a plain-words refusal instead of the parser's message naming a .NET type.</summary>
public static class CliOptions
{
    /// <summary>A whole-number option in [<paramref name="min"/>, <paramref name="max"/>]; absent means null.</summary>
    public static Option<int?> Number(string name, string description, int min = 0, int max = int.MaxValue) => new(name)
    {
        Description = description,
        CustomParser = r => ParseNumber(r, name, min, max),
    };

    /// <summary>
    /// A yes/no option (true/false, yes/no, có/không, 1/0), read with <see cref="YesNoValue"/>. Typed as text because the
    /// parser treats a bool option as a flag and would leave "không" behind as a stray argument.
    /// </summary>
    public static Option<string?> YesNo(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description };
        option.Validators.Add(r =>
        {
            var text = r.Tokens.Count == 0 ? null : r.Tokens[0].Value;
            if (text is not null && ToBool(text) is null) r.AddError(Messages.Format("InvalidYesNo", null, [name, text]));
        });
        return option;
    }

    public static bool? YesNoValue(ParseResult result, Option<string?> option) =>
        result.GetValue(option) is { } text ? ToBool(text) : null;

    private static bool? ToBool(string text) => Core.Text.VietnameseText.Key(text) switch
    {
        "true" or "yes" or "co" or "1" => true,
        "false" or "no" or "khong" or "0" => false,
        _ => null,
    };

    private static int? ParseNumber(ArgumentResult result, string option, int min, int max)
    {
        if (result.Tokens.Count == 0) return null;
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        result.AddError(Messages.Format("InvalidNumber", null, [option, text, min, max]));
        return null;
    }
}
