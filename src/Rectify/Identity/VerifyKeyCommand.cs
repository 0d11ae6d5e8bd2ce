using JasperFx.CommandLine;
using Marten;

namespace Rectify.Identity;

public class VerifyKeyInput : NetCoreInput
{
    [Description("File holding the key to check")]
    [FlagAlias("key-file")]
    public string KeyFileFlag { get; set; } = "";
}

[Description("Succeeds when the key in a file belongs to a registered, unrevoked client of this database", Name = "verify-key")]
public class VerifyKeyCommand : JasperFxAsyncCommand<VerifyKeyInput>
{
    public override async Task<bool> Execute(VerifyKeyInput input)
    {
        if (!File.Exists(input.KeyFileFlag))
        {
            Console.Error.WriteLine($"No key file at {input.KeyFileFlag}.");
            return false;
        }

        var key = (await File.ReadAllTextAsync(input.KeyFileFlag)).Trim();
        using var host = input.BuildHost();
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var client = await session.LoadAsync<ApiClient>(ApiClient.Hash(key));
        if (client is null || client.RevokedAt is not null)
        {
            Console.Error.WriteLine("The key is not registered in this database, or it was revoked.");
            return false;
        }

        Console.WriteLine($"The key belongs to client '{client.Name}'.");
        return true;
    }
}
