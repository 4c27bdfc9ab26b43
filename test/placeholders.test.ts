/**
 * The placeholder list (src/knowledge/placeholders.ts): each row matches its example, the listed
 * words and shapes are placeholders, values that only contain such a word are not, and the
 * analysis neither reports a placeholder as hard-coded nor removes a build-time dummy.
 */
import { describe, expect, it } from "vitest";
import { PLACEHOLDERS, isPlaceholder, isPlaceholderIn } from "../src/knowledge/placeholders.js";
import { runPipeline } from "../src/pipeline.js";

describe("placeholder rows", () => {
  it.each(PLACEHOLDERS.map((r) => [r.example, r]))("%j matches its own row", (example, row) => {
    expect(row.pattern.test(example)).toBe(true);
    expect(row.why.length).toBeGreaterThan(0);
  });
});

describe("isPlaceholder", () => {
  it.each([
    "changeme", "CHANGE_ME", "change-me", "replaceme", "unset", "none", "NULL", "test", "dummy", "example", "sample",
    "xxx", "XXXXXXXX", "***", "<token>", "<your GitHub token>", "{{ .Token }}", "__NO_TOKEN__", "**ChangeMe**",
    "**RandomString**", "foo", "bar", "baz", "password", "Secret", "mypassword", "", "   ", '""', "'changeme'", ' "replaceme" ',
    "notreal", "localhost", "127.0.0.1", "your-api-key-here",
    "postgres://postgres:password@db/notreal", "postgres://app:Xk92-s8Lq@localhost/app", "https://u:Xk92-s8Lq@example.com/v1",
    "redis://:whatever@127.0.0.1:6379/0", "http://admin:changeme@registry:5000", "dummy-secret-key-for-build", "build_time_placeholder",
    "sk-XXXXXXXXXXXXXXXX", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "changeme-in-production", "fake.token",
  ])("%j is a placeholder", (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each([
    "changeme123", "Tr0ub4dor&3", "password1", "test-token-9f8a7b", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "secretvalue",
    "dummyX9", "wJalrXUtnFEMI/LIR/bPxRfiCYEXAMPLEKEY", "AKIAIOSFODNN8EXAMPLE", "dummy-key-9f8a7b6c", "django-insecure-k2#9x!v8", "correct-horse-battery-staple", "xxxa", "<a>b", "prefix__NO_TOKEN__", "foo bar", "postgres://app:Xk92-s8Lq@db.internal/app",
    "https://u:Xk92-s8Lq@example.invalid/", "https://u:Xk92-s8Lq@notexample.com/", "https://u:Xk92-s8Lq@example.com.evil.io/", "https://u:Xk92-s8Lq@git.example.com/",
  ])("%j is not a placeholder", (value) => {
    expect(isPlaceholder(value)).toBe(false);
  });
});

describe("isPlaceholderIn", () => {
  const at = (text: string, found: string) => [text, text.indexOf(found), text.indexOf(found) + found.length] as const;

  it("takes a URL's password on a placeholder host for one, whatever the password", () => {
    expect(isPlaceholderIn(...at("DATABASE_URL=postgres://app:Xk92-s8Lq@localhost:5432/app", "Xk92-s8Lq"))).toBe(true);
    expect(isPlaceholderIn(...at("x https://u:Xk92-s8Lq@[::1]/ y", "Xk92-s8Lq"))).toBe(true);
    expect(isPlaceholderIn(...at("x https://u:Xk92-s8Lq@db.internal/ y", "Xk92-s8Lq"))).toBe(false);
  });

  it("takes a masked token (Slack's documented webhook) for one", () => {
    expect(isPlaceholderIn(...at("u=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"))).toBe(true);
    expect(isPlaceholderIn(...at("u=https://hooks.slack.com/services/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", "T0A1B2C3D/B0A1B2C3D/a8Fk2Lm9Qz7Xc4Vb1Nn3Ty6R"))).toBe(false);
  });
});

describe("the analysis and placeholders", () => {
  it("leaves a build-time dummy ENV as it is, with no finding", () => {
    const input = "FROM ruby:3\nENV SECRET_KEY_BASE=dummy DATABASE_URL=postgres://postgres:password@localhost/notreal\nRUN rails assets:precompile\n";
    const result = runPipeline(input);
    expect(result.findings).toEqual([]);
    expect(result.output).toBe(input);
  });

  it("does not take a RUN that writes a build-time dummy into a file for a secret write", () => {
    const result = runPipeline('FROM ruby:3\nENV SECRET_KEY_BASE=dummy\nRUN echo "$SECRET_KEY_BASE" > /app/key.txt && rails assets:precompile\n');
    expect(result.findings).toEqual([]);
    const declared = runPipeline('FROM ruby:3\nARG SECRET_KEY_BASE\nRUN echo "$SECRET_KEY_BASE" > /app/key.txt && rails assets:precompile\n');
    expect(declared.findings.map((f) => f.rule)).toContain("run-writes-secret");
  });

  it("leaves build-time dummies of ONBUILD triggers and of Django's collectstatic as they are", () => {
    for (const input of [
      "FROM python:3.12\nONBUILD ENV DJANGO_SECRET_KEY=dummy-secret-key-for-build\nONBUILD RUN python manage.py collectstatic --noinput\n",
      "FROM python:3.12\nENV DJANGO_SECRET_KEY=changeme DATABASE_URL=sqlite:///tmp/notreal.db\nRUN python manage.py collectstatic --noinput\n",
    ]) {
      const result = runPipeline(input);
      expect(result.findings).toEqual([]);
      expect(result.output).toBe(input);
    }
  });

  it("still reports a real value in the same slot", () => {
    const result = runPipeline("FROM ruby:3\nENV SECRET_KEY_BASE=9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c\nRUN rails assets:precompile\n");
    expect(result.findings.map((f) => f.rule)).toEqual(["secret-arg-env"]);
    expect(result.findings[0].message).toContain("rotate it");
  });

  it("keeps an ARG with a placeholder default a secret slot, without telling to rotate it", () => {
    const result = runPipeline("FROM alpine\nARG TOKEN=unset\nRUN ./fetch.sh --token \"$TOKEN\"\n");
    expect(result.findings.map((f) => f.rule)).toEqual(["secret-arg-env"]);
    expect(result.findings[0].message).not.toMatch(/hard-coded|rotate/);
    expect(result.findings[0].message).toContain("placeholder");
    expect(result.secrets[0].hardcoded).toBeFalsy();
  });

  it("gives no hard-coded finding for a placeholder in a RUN's URL or credential slot", () => {
    const result = runPipeline("FROM alpine\nRUN curl -u admin:changeme https://db:password@localhost:9200/ && docker login -p xxx reg.example\n");
    expect(result.findings).toEqual([]);
  });
});

describe("masked tokens in a secret-named ARG/ENV", () => {
  it("takes a token format filled with a mask for a placeholder", () => {
    const env = runPipeline("FROM alpine\nENV GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nRUN ./build.sh\n");
    expect(env.findings).toEqual([]);
    const arg = runPipeline("FROM alpine\nARG GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nRUN ./build.sh \"$GITHUB_TOKEN\"\n");
    expect(arg.findings.map((f) => f.rule)).toEqual(["secret-arg-env"]);
    expect(arg.findings[0].message).not.toMatch(/hard-coded|rotate/);
  });
});
