// Every database test owns its database (Database/TestDatabase.cs), so test classes may run side by side. They spend
// most of their time waiting on SQLite's file or the PostgreSQL server, so more classes run at once than there are cores.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
