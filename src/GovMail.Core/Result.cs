namespace GovMail.Core;

/// <summary>The outcome of an operation whose refusal is expected (a weak password, an illegal transition).</summary>
public readonly record struct Result<T>
{
    public T? Value { get; private init; }
    public Problem? Problem { get; private init; }
    public bool IsOk => Problem is null;

    public static Result<T> Ok(T value) => new() { Value = value };
    public static Result<T> Fail(Problem problem) => new() { Problem = problem };

    public static implicit operator Result<T>(Problem problem) => Fail(problem);
    public static implicit operator Result<T>(T value) => Ok(value);
}

/// <summary>An expected refusal: a stable code plus the arguments of its message, shown in Vietnamese or English.</summary>
public sealed record Problem(string Code, IReadOnlyList<object?> Args)
{
    public static Problem Of(string code, params object?[] args) => new(code, args);

    /// <summary>The message in Vietnamese (the default) or in the given culture.</summary>
    public string Message(System.Globalization.CultureInfo? culture = null) => Messages.Format(Code, culture, Args);

    public override string ToString() => Message();
}
