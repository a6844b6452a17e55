using System.Net;

namespace Skyport.Tests.Infrastructure;

/// <summary>A bulk action's page as a browser follows it: the form redirects to the job's page, which is read until the job is finished.</summary>
public static class JobPage
{
    /// <summary>The job page the redirect leads to, once it no longer polls (the job is finished).</summary>
    public static async Task<string> FinishedJobPageAsync(this Browser browser, HttpResponseMessage redirect, TimeSpan? wait = null)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!.ToString();
        Assert.Matches("^/my-services/o365/[0-9a-f-]{36}/jobs/[0-9a-f-]{36}$", location);
        var until = DateTime.UtcNow + (wait ?? BulkJobClient.DefaultWait);
        while (true)
        {
            var page = await browser.PageAsync(location);
            if (!page.Contains("hx-trigger=\"every 1s\"", StringComparison.Ordinal))
            {
                return page;
            }
            Assert.True(DateTime.UtcNow < until, $"The job at {location} did not finish in time.");
            await Task.Delay(100);
        }
    }
}
