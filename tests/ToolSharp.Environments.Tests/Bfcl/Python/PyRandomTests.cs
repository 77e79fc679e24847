using System.Numerics;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Tests.Bfcl.Python;

/// <summary>CPython 3.11's <c>random.Random</c> outputs, recorded from CPython, for the seeds BFCL's backends use.</summary>
public class PyRandomTests
{
    [Fact]
    public void Randint_draws_the_message_ids_cpython_draws()
    {
        var r = new PyRandom(200191);
        Enumerable.Range(0, 5).Select(_ => (int)r.RandInt(10000, 99999)).ShouldBe([67410, 41772, 24547, 24421, 60424]);
    }

    [Fact]
    public void Randint_over_wide_ranges_uses_cpython_rejection_sampling()
    {
        var r = new PyRandom(141053);
        r.RandInt(100000, 999999).ShouldBe(251675);
        r.RandInt(100000000000, 999999999999).ShouldBe(391310425148);
        r.RandInt(10000, 99999).ShouldBe(58617);
        new PyRandom(1053520).RandInt(0, 86400).ShouldBe(69015);
    }

    [Fact]
    public void Random_and_uniform_give_cpython_doubles()
    {
        var r = new PyRandom(141053);
        PyFloat.Repr(r.Uniform(0.0, 120.0)).ShouldBe("111.92365689097284");
        PyFloat.Repr(r.Random()).ShouldBe("0.8259937857399504");
        PyFloat.Repr(new PyRandom(-5).Random()).ShouldBe("0.6229016948897019");
    }

    [Fact]
    public void Getrandbits_and_big_seeds_follow_cpython()
    {
        var r = new PyRandom(0);
        r.GetRandBits(32).ShouldBe(3626764237);
        r.GetRandBits(70).ShouldBe(BigInteger.Parse("1046999458949156007870"));
        r.GetRandBits(1).ShouldBe(0);
        var big = new PyRandom(BigInteger.Pow(2, 70) + 12345);
        big.RandInt(1, 6).ShouldBe(4);
        big.Choice(["a", "b", "c", "d", "e"]).ShouldBe("a");
    }
}
