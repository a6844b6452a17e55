var builder = WebApplication.CreateBuilder(args);
await Skyport.PartnerCenter.PartnerCenterRegistration.AddPartnerCenterAsync(builder);
var app = builder.Build();
app.MapGet("/health", () => "ok");
app.Run();

public partial class Program;
