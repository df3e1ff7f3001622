using GovMail.Core.Directory;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Database;

public abstract class MigrationTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Migrations_apply_on_an_empty_database_and_a_second_run_changes_nothing()
    {
        await using var test = await TestDatabase.CreateAsync(provider, migrate: false);
        await using (var empty = test.Database.Open())
        {
            Assert.Empty(await empty.Database.GetAppliedMigrationsAsync());
            Assert.NotEmpty(empty.Database.GetMigrations());
        }

        await test.Database.MigrateAsync();
        IReadOnlyList<string> applied;
        await using (var db = test.Database.Open())
        {
            applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
            Assert.Equal(db.Database.GetMigrations(), applied);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            db.Tenants.Add(new Tenant { Name = "Ủy ban nhân dân tỉnh Đồng Tháp", CreatedAt = TestDatabase.Start.ToUniversalTime() });
            await db.SaveChangesAsync();
        }

        await test.Database.MigrateAsync();

        await using (var db = test.Database.Open())
        {
            Assert.Equal(applied, await db.Database.GetAppliedMigrationsAsync());
            Assert.Equal("Ủy ban nhân dân tỉnh Đồng Tháp", Assert.Single(await db.Tenants.AsNoTracking().ToListAsync()).Name);
        }
    }

    [Fact]
    public async Task The_migrations_of_the_engine_match_the_model()
    {
        await using var test = await TestDatabase.CreateAsync(provider, migrate: false);
        await using var db = test.Database.Open();
        Assert.False(db.Database.HasPendingModelChanges(),
            $"the model has changed since the last {provider} migration: add one with dotnet ef migrations add");
    }
}

public sealed class MigrationTestsOnSqlite() : MigrationTests(DatabaseProvider.Sqlite);

public sealed class MigrationTestsOnPostgres() : MigrationTests(DatabaseProvider.Postgres);
