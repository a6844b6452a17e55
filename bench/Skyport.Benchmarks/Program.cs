using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Skyport.Benchmarks.RatingThroughputBenchmarks).Assembly).Run(args);
