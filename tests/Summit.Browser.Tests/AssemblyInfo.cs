// Needs Azurite, the local host process or Chromium: left out of the fast inner loop (README, "Tests").
[assembly: Xunit.AssemblyTrait("Category", "Slow")]
