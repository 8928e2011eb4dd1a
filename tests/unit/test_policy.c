/*
 * test_policy.c — the sandbox policy (src/sandbox/policy.c): the value
 * parsers (sizes, durations, counts, the size printer), directories,
 * environment variables and their replacement, limits and their ranges,
 * and copies that outlive their source.
 */
#include <stdlib.h>
#include <string.h>

#include "sandbox/policy.h"
#include "unit.h"

/* ------------------------------------------------------------------ sizes */

TEST(policy_size_accepts_units)
{
    static const struct {
        const char *text;
        uint64_t bytes;
    } ok[] = {
        {"0", 0},
        {"65536", 65536},
        {"12B", 12},
        {"12b", 12},
        {"1K", 1024},
        {"1k", 1024},
        {"512KiB", 512 * 1024},
        {"512kib", 512 * 1024},
        {"64M", 64ull << 20},
        {"64MiB", 64ull << 20},
        {"64mIb", 64ull << 20},
        {"1G", 1ull << 30},
        {"4GiB", 4ull << 30},
        {"18446744073709551615", UINT64_MAX},
        {"17179869183G", 17179869183ull << 30},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        uint64_t v = 7;
        CHECKF(wbParseSize(ok[i].text, &v), "'%s'", ok[i].text);
        CHECKF(v == ok[i].bytes, "'%s' gave %llu", ok[i].text, (unsigned long long)v);
    }
}

TEST(policy_size_refuses_bad_text)
{
    static const char *const bad[] = {
        "",     "K",       "-1",  "+1",   " 1",   "1 ",    "1KB",  "1MB",
        "1GB",  "1.5MiB",  "1x",  "1Ki",  "1TiB", "0x10",  "1 MiB", "18446744073709551616",
        "17179869184G",    "1e3", "MiB",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t v = 7;
        CHECKF(!wbParseSize(bad[i], &v), "'%s' accepted", bad[i]);
        CHECKF(v == 7, "'%s' changed the output", bad[i]);
    }
}

TEST(policy_format_size)
{
    char buf[32];
    CHECK_STR(wbFormatSize(4ull << 30, buf, sizeof buf), "4GiB");
    CHECK_STR(wbFormatSize(64ull << 20, buf, sizeof buf), "64MiB");
    CHECK_STR(wbFormatSize(512ull << 10, buf, sizeof buf), "512KiB");
    CHECK_STR(wbFormatSize(1536ull << 20, buf, sizeof buf), "1536MiB");
    CHECK_STR(wbFormatSize(1000, buf, sizeof buf), "1000 bytes");
    CHECK_STR(wbFormatSize(0, buf, sizeof buf), "0 bytes");
    CHECK(wbFormatSize(1, buf, sizeof buf) == buf);
    /* a short buffer is cut, never overrun */
    char tiny[4];
    CHECK_STR(wbFormatSize(1000, tiny, sizeof tiny), "100");
}

/* -------------------------------------------------------------- durations */

TEST(policy_duration_accepts_units)
{
    static const struct {
        const char *text;
        uint64_t ns;
    } ok[] = {
        {"500ms", 500000000ull},
        {"5s", 5000000000ull},
        {"5", 5000000000ull},
        {"1.5s", 1500000000ull},
        {"1.5", 1500000000ull},
        {"0.001s", 1000000ull},
        {"2m", 120000000000ull},
        {"1h", 3600000000000ull},
        {"1.25h", 4500000000000ull},
        {"0.5ms", 500000ull},
        {"0", 0},
        {"0s", 0},
        {"1.1234567s", 1123456000ull}, /* past 6 fraction digits: ignored */
        {"18446744073s", 18446744073000000000ull},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        uint64_t v = 7;
        CHECKF(wbParseDuration(ok[i].text, &v), "'%s'", ok[i].text);
        CHECKF(v == ok[i].ns, "'%s' gave %llu", ok[i].text, (unsigned long long)v);
    }
}

TEST(policy_duration_refuses_bad_text)
{
    static const char *const bad[] = {
        "",    "s",   "-1s", "+1s",  " 1s",  "1s ",  "1 s",  "1.s",   ".5s", "1..5s",
        "1x",  "1S",  "1MS", "1d",   "1us",  "1ns",  "1.5.", "1e3",   "5sec",
        "18446744074s",  "5124096h", "99999999999999999999",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t v = 7;
        CHECKF(!wbParseDuration(bad[i], &v), "'%s' accepted", bad[i]);
        CHECKF(v == 7, "'%s' changed the output", bad[i]);
    }
}

/* ----------------------------------------------------------------- counts */

TEST(policy_count)
{
    uint64_t v = 7;
    CHECK(wbParseCount("0", &v));
    CHECK_EQ(v, 0u);
    CHECK(wbParseCount("1000000", &v));
    CHECK_EQ(v, 1000000u);
    CHECK(wbParseCount("18446744073709551615", &v));
    CHECK(v == UINT64_MAX);
    static const char *const bad[] = {"", "-1", "+1", " 1", "1 ", "1k", "1.0", "0x10",
                                      "18446744073709551616", "1e6"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 7;
        CHECKF(!wbParseCount(bad[i], &v), "'%s' accepted", bad[i]);
        CHECKF(v == 7, "'%s' changed the output", bad[i]);
    }
}

/* ------------------------------------------------------------ directories */

TEST(policy_dirs_in_order)
{
    wbPolicy p;
    wbPolicyInit(&p);
    char why[128] = "";
    CHECK(wbPolicyAddDir(&p, "./data::/data", 0, why, sizeof why));
    CHECK(wbPolicyAddDir(&p, ".", 1, why, sizeof why));
    CHECK(wbPolicyAddDir(&p, "a::b::c", 0, why, sizeof why)); /* the first "::" splits */
    CHECK(wbPolicyAddDir(&p, "/x:y::z", 1, why, sizeof why)); /* one ':' is part of a path */
    if (CHECK_EQ(p.ndirs, 4)) {
        CHECK_STR(p.dirs[0].host_path, "./data");
        CHECK_STR(p.dirs[0].guest_path, "/data");
        CHECK_EQ(p.dirs[0].read_only, 0);
        CHECK_STR(p.dirs[1].host_path, ".");
        CHECK_STR(p.dirs[1].guest_path, ".");
        CHECK_EQ(p.dirs[1].read_only, 1);
        CHECK_STR(p.dirs[2].host_path, "a");
        CHECK_STR(p.dirs[2].guest_path, "b::c");
        CHECK_STR(p.dirs[3].host_path, "/x:y");
        CHECK_STR(p.dirs[3].guest_path, "z");
    }
    wbPolicyFree(&p);
    CHECK_EQ(p.ndirs, 0);
    CHECK(p.dirs == NULL);
}

TEST(policy_dirs_refused)
{
    static const char *const bad[] = {"", "::", "::/x", "x::"};
    wbPolicy p;
    wbPolicyInit(&p);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char why[128] = "";
        CHECKF(!wbPolicyAddDir(&p, bad[i], 0, why, sizeof why), "'%s' accepted", bad[i]);
        CHECK_STR(why, "expected HOST or HOST::GUEST");
    }
    CHECK_EQ(p.ndirs, 0);
    wbPolicyFree(&p);
}

TEST(policy_dirs_are_copies)
{
    char spec[] = "host::guest";
    wbPolicy p;
    wbPolicyInit(&p);
    char why[128];
    CHECK(wbPolicyAddDir(&p, spec, 0, why, sizeof why));
    memset(spec, 'x', sizeof spec - 1);
    if (CHECK_EQ(p.ndirs, 1)) {
        CHECK_STR(p.dirs[0].host_path, "host");
        CHECK_STR(p.dirs[0].guest_path, "guest");
    }
    /* many: the arrays grow */
    for (int i = 0; i < 100; i++)
        CHECK(wbPolicyAddDir(&p, "d::/d", i & 1, why, sizeof why));
    CHECK_EQ(p.ndirs, 101);
    CHECK_EQ(p.dirs[100].read_only, 1);
    wbPolicyFree(&p);
}

/* ------------------------------------------------------------ environment */

TEST(policy_env_set_and_replace)
{
    wbPolicy p;
    wbPolicyInit(&p);
    char why[128];
    CHECK(wbPolicyAddEnv(&p, "A=1", why, sizeof why));
    CHECK(wbPolicyAddEnv(&p, "B=", why, sizeof why));
    CHECK(wbPolicyAddEnv(&p, "AB=x=y", why, sizeof why));
    CHECK(wbPolicyAddEnv(&p, "A=2", why, sizeof why)); /* replaces A, keeps its place */
    if (CHECK_EQ(p.nenv, 3)) {
        CHECK_STR(p.env[0], "A=2");
        CHECK_STR(p.env[1], "B=");
        CHECK_STR(p.env[2], "AB=x=y"); /* "A" is not a prefix match of "AB" */
    }
    for (int i = 0; i < 50; i++)
        CHECK(wbPolicyAddEnv(&p, "B=again", why, sizeof why));
    CHECK_EQ(p.nenv, 3);
    CHECK_STR(p.env[1], "B=again");
    wbPolicyFree(&p);
}

TEST(policy_env_from_host)
{
    setenv("WB_POLICY_TEST_SET", "host value", 1);
    unsetenv("WB_POLICY_TEST_UNSET");
    wbPolicy p;
    wbPolicyInit(&p);
    char why[128];
    CHECK(wbPolicyAddEnv(&p, "WB_POLICY_TEST_SET", why, sizeof why));
    CHECK(wbPolicyAddEnv(&p, "WB_POLICY_TEST_UNSET", why, sizeof why)); /* nothing */
    if (CHECK_EQ(p.nenv, 1))
        CHECK_STR(p.env[0], "WB_POLICY_TEST_SET=host value");
    /* NAME after NAME=VALUE replaces it with the host's value */
    CHECK(wbPolicyAddEnv(&p, "WB_POLICY_TEST_SET=mine", why, sizeof why));
    CHECK(wbPolicyAddEnv(&p, "WB_POLICY_TEST_SET", why, sizeof why));
    CHECK_EQ(p.nenv, 1);
    CHECK_STR(p.env[0], "WB_POLICY_TEST_SET=host value");
    /* an unset host NAME leaves an earlier value alone */
    CHECK(wbPolicyAddEnv(&p, "WB_POLICY_TEST_UNSET=kept", why, sizeof why));
    CHECK(wbPolicyAddEnv(&p, "WB_POLICY_TEST_UNSET", why, sizeof why));
    if (CHECK_EQ(p.nenv, 2))
        CHECK_STR(p.env[1], "WB_POLICY_TEST_UNSET=kept");
    wbPolicyFree(&p);
    unsetenv("WB_POLICY_TEST_SET");
}

TEST(policy_env_refused)
{
    wbPolicy p;
    wbPolicyInit(&p);
    char why[128] = "";
    CHECK(!wbPolicyAddEnv(&p, "=x", why, sizeof why));
    CHECK_STR(why, "expected NAME=VALUE or NAME");
    why[0] = '\0';
    CHECK(!wbPolicyAddEnv(&p, "", why, sizeof why));
    CHECK_STR(why, "expected NAME=VALUE or NAME");
    CHECK_EQ(p.nenv, 0);
    wbPolicyFree(&p);
}

/* ----------------------------------------------------------------- limits */

/* Sets a limit that must be refused, with `reason`. */
static void check_refused(const char *file, int line, const char *name, const char *value,
                          const char *reason)
{
    wbPolicy p;
    wbPolicyInit(&p);
    char why[160] = "";
    int ok = wbPolicySetLimit(&p, name, value, why, sizeof why);
    unitCheckf(!ok, file, line, "!wbPolicySetLimit", "%s '%s' accepted", name, value);
    unitCheckf(strcmp(why, reason) == 0, file, line, "why", "%s '%s': got \"%s\", want \"%s\"",
               name, value, why, reason);
    wbPolicyFree(&p);
}
#define CHECK_REFUSED(name, value, reason) check_refused(__FILE__, __LINE__, name, value, reason)

TEST(policy_limits_ranges)
{
    static const char size[] = "expected a size like 65536, 512KiB, 64MiB or 1GiB";
    static const char stack[] = "expected a size like 1MiB or 64MiB";
    CHECK_REFUSED("max-memory", "3x", size);
    CHECK_REFUSED("max-memory", "12XB", size);
    CHECK_REFUSED("max-memory", "", size);
    CHECK_REFUSED("max-memory", "0", "must be more than 0 and at most 4GiB");
    CHECK_REFUSED("max-memory", "5GiB", "must be more than 0 and at most 4GiB");
    CHECK_REFUSED("max-memory", "4294967297", "must be more than 0 and at most 4GiB");
    CHECK_REFUSED("max-stack", "1x", stack);
    CHECK_REFUSED("max-stack", "12", "must be at least 1KiB and at most 1GiB");
    CHECK_REFUSED("max-stack", "1023", "must be at least 1KiB and at most 1GiB");
    CHECK_REFUSED("max-stack", "1073741825", "must be at least 1KiB and at most 1GiB");
    CHECK_REFUSED("fuel", "0", "expected a whole number of at least 1");
    CHECK_REFUSED("fuel", "-3", "expected a whole number of at least 1");
    CHECK_REFUSED("fuel", "1k", "expected a whole number of at least 1");
    CHECK_REFUSED("timeout", "5x", "expected a duration like 500ms, 5s, 1.5s or 2m");
    CHECK_REFUSED("timeout", "0", "must be more than 0");
    CHECK_REFUSED("timeout", "0.0000001s", "must be more than 0");
    CHECK_REFUSED("nope", "1",
                  "unknown limit (expected max-memory, max-stack, fuel or timeout)");
    CHECK_REFUSED("--fuel", "1",
                  "unknown limit (expected max-memory, max-stack, fuel or timeout)");
}

TEST(policy_limits_set)
{
    wbPolicy p;
    wbPolicyInit(&p);
    wb_limits l = wbPolicyLimits(&p);
    CHECK_EQ(l.max_memory_pages, 0u);
    CHECK_EQ(l.max_stack_bytes, 0u);
    CHECK(l.fuel == 0);
    CHECK_EQ(l.max_call_depth, 0u);
    CHECK_EQ(l.max_table_elems, 0u);
    CHECK_STR(p.timeout, "");

    char why[160];
    CHECK(wbPolicySetLimit(&p, "max-memory", "1", why, sizeof why));
    CHECK(p.max_memory == 65536); /* rounded up to a page */
    CHECK(wbPolicySetLimit(&p, "max-memory", "65537", why, sizeof why));
    CHECK(p.max_memory == 131072);
    CHECK(wbPolicySetLimit(&p, "max-memory", "4GiB", why, sizeof why));
    CHECK(p.max_memory == WB_WASM32_MAX_BYTES);
    CHECK_EQ(wbPolicyLimits(&p).max_memory_pages, 65536u);
    CHECK(wbPolicySetLimit(&p, "max-memory", "64MiB", why, sizeof why)); /* replaces */
    CHECK_EQ(wbPolicyLimits(&p).max_memory_pages, 1024u);

    CHECK(wbPolicySetLimit(&p, "max-stack", "1KiB", why, sizeof why));
    CHECK(p.max_stack == 1024);
    CHECK(wbPolicySetLimit(&p, "max-stack", "1GiB", why, sizeof why));
    CHECK(p.max_stack == WB_MAX_STACK_LIMIT);
    CHECK(wbPolicySetLimit(&p, "max-stack", "1MiB", why, sizeof why));
    CHECK_EQ(wbPolicyLimits(&p).max_stack_bytes, 1048576u);

    CHECK(wbPolicySetLimit(&p, "fuel", "1", why, sizeof why));
    CHECK(wbPolicySetLimit(&p, "fuel", "18446744073709551615", why, sizeof why));
    CHECK(wbPolicyLimits(&p).fuel == UINT64_MAX);

    CHECK(wbPolicySetLimit(&p, "timeout", "1.5s", why, sizeof why));
    CHECK(p.timeout_ns == 1500000000ull);
    CHECK_STR(p.timeout, "1.5s");
    CHECK(wbPolicySetLimit(&p, "timeout", "0.000001s", why, sizeof why));
    CHECK(p.timeout_ns == 1000);
    /* a value too long to keep as written is kept in a short form */
    CHECK(wbPolicySetLimit(&p, "timeout", "0000000000000000000000000000000002.500s", why,
                           sizeof why));
    CHECK(p.timeout_ns == 2500000000ull);
    CHECK_STR(p.timeout, "2.5s");
    CHECK(wbPolicySetLimit(&p, "timeout", "00000000000000000000000000000000000000007m", why,
                           sizeof why));
    CHECK_STR(p.timeout, "420s");
    CHECK(wbPolicySetLimit(&p, "timeout", "1234567890123456789012345678901", why, sizeof why) ==
          0); /* passes 2^64 ns */
    CHECK(wbPolicySetLimit(&p, "timeout", "0000000000000000000000000000000.000123", why,
                           sizeof why));
    CHECK_STR(p.timeout, "0.000123s");
    /* a refused value leaves the policy as it was */
    CHECK(!wbPolicySetLimit(&p, "timeout", "0", why, sizeof why));
    CHECK_STR(p.timeout, "0.000123s");
    CHECK(!wbPolicySetLimit(&p, "max-memory", "0", why, sizeof why));
    CHECK_EQ(wbPolicyLimits(&p).max_memory_pages, 1024u);
    wbPolicyFree(&p);
}

TEST(policy_why_may_be_short_or_absent)
{
    wbPolicy p;
    wbPolicyInit(&p);
    char why[8];
    CHECK(!wbPolicySetLimit(&p, "fuel", "0", why, sizeof why));
    CHECK_STR(why, "expecte");
    CHECK(!wbPolicySetLimit(&p, "fuel", "0", NULL, 0));
    CHECK(!wbPolicyAddDir(&p, "", 0, NULL, 0));
    CHECK(!wbPolicyAddEnv(&p, "=", NULL, 0));
    wbPolicyFree(&p);
}

/* ------------------------------------------------------------------- copy */

TEST(policy_copy_is_independent)
{
    wbPolicy src;
    wbPolicyInit(&src);
    char why[160];
    CHECK(wbPolicyAddDir(&src, "a::/a", 0, why, sizeof why));
    CHECK(wbPolicyAddDir(&src, "b", 1, why, sizeof why));
    CHECK(wbPolicyAddEnv(&src, "X=1", why, sizeof why));
    CHECK(wbPolicyAddEnv(&src, "Y=2", why, sizeof why));
    CHECK(wbPolicyAddEnv(&src, "X=3", why, sizeof why));
    CHECK(wbPolicySetLimit(&src, "max-memory", "64MiB", why, sizeof why));
    CHECK(wbPolicySetLimit(&src, "max-stack", "1MiB", why, sizeof why));
    CHECK(wbPolicySetLimit(&src, "fuel", "1000", why, sizeof why));
    CHECK(wbPolicySetLimit(&src, "timeout", "2s", why, sizeof why));

    wbPolicy dst;
    memset(&dst, 0xa5, sizeof dst); /* need not be initialised */
    if (!CHECK(wbPolicyCopy(&dst, &src)))
        return;
    /* the copy can change without touching the source, and outlives it */
    CHECK(wbPolicyAddEnv(&dst, "Y=changed", why, sizeof why));
    CHECK(wbPolicyAddDir(&dst, "c::/c", 0, why, sizeof why));
    CHECK(wbPolicySetLimit(&dst, "fuel", "5", why, sizeof why));
    CHECK_STR(src.env[1], "Y=2");
    CHECK_EQ(src.ndirs, 2);
    CHECK(src.fuel == 1000);
    wbPolicyFree(&src);

    if (CHECK_EQ(dst.ndirs, 3)) {
        CHECK_STR(dst.dirs[0].host_path, "a");
        CHECK_STR(dst.dirs[0].guest_path, "/a");
        CHECK_EQ(dst.dirs[0].read_only, 0);
        CHECK_STR(dst.dirs[1].host_path, "b");
        CHECK_STR(dst.dirs[1].guest_path, "b");
        CHECK_EQ(dst.dirs[1].read_only, 1);
        CHECK_STR(dst.dirs[2].host_path, "c");
    }
    if (CHECK_EQ(dst.nenv, 2)) {
        CHECK_STR(dst.env[0], "X=3");
        CHECK_STR(dst.env[1], "Y=changed");
    }
    CHECK(dst.max_memory == 64ull << 20);
    CHECK(dst.max_stack == 1ull << 20);
    CHECK(dst.fuel == 5);
    CHECK(dst.timeout_ns == 2000000000ull);
    CHECK_STR(dst.timeout, "2s");
    wbPolicyFree(&dst);
}

TEST(policy_copy_of_empty)
{
    wbPolicy src, dst;
    wbPolicyInit(&src);
    CHECK(wbPolicyCopy(&dst, &src));
    CHECK_EQ(dst.ndirs, 0);
    CHECK_EQ(dst.nenv, 0);
    CHECK(dst.max_memory == 0 && dst.fuel == 0 && dst.timeout_ns == 0 && dst.max_stack == 0);
    wbPolicyFree(&dst);
    wbPolicyFree(&src);
    wbPolicyFree(&src); /* freeing twice is harmless: Free leaves it empty */
}
