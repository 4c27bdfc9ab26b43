/**
 * Credential files a tool reads, unnamed, from the project folder it runs in: after `COPY . /src`,
 * `npm ci` run in /src reads /src/.npmrc without any word of the RUN naming it. One row per
 * credential-file kind (src/knowledge/credential-files.ts), with the programs and where that is
 * documented. The user-level files (~/.npmrc, ~/.pypirc, pip.conf) are those kinds' `tools`.
 */
export interface ProjectFolderReader {
  kind: string;
  programs: readonly string[];
  source: string;
}

export const PROJECT_FOLDER_READERS: readonly ProjectFolderReader[] = [
  { kind: "npmrc", programs: ["npm", "npx", "pnpm", "yarn"], source: "docs.npmjs.com npmrc: per-project config file, /path/to/my/project/.npmrc (pnpm and yarn 1 read it too)" },
  { kind: "yarnrc", programs: ["yarn"], source: "yarnpkg.com configuration: .yarnrc.yml (berry) and .yarnrc (yarn 1) in the project folder" },
  { kind: "composer-auth", programs: ["composer"], source: "getcomposer.org authentication: an auth.json next to composer.json" },
  { kind: "gradle-properties", programs: ["gradle", "gradlew"], source: "docs.gradle.org build environment: gradle.properties in the project root directory" },
];

/** The programs that read a file of this kind from the folder they run in (none: []). */
export function projectFolderReaders(kind: string): readonly string[] {
  return PROJECT_FOLDER_READERS.find((r) => r.kind === kind)?.programs ?? [];
}
