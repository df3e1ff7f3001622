using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GovMail.Testing;

/// <summary>Keeps every log entry in memory (an exception's text after the message) so tests can look at what a server logged.</summary>
public sealed class TestLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(TestLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            factory.Entries.Enqueue((category, logLevel, exception is null ? formatter(state, exception) : $"{formatter(state, exception)}: {exception}"));
    }
}
