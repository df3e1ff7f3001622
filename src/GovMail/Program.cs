using System.Text;

Console.OutputEncoding = Encoding.UTF8;
return await GovMail.Cli.CliApp.RunAsync(args);
