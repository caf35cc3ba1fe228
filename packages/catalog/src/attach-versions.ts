/**
 * The data and implementation versions an ATTACH pins (`data_version_spec`,
 * `implementation_version`), resolved to versions the catalog serves.
 */
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import type { CatalogDefinition, ResolvedVersions } from "./catalog-definition.js";
import { resolveVersionSpec, type VersionChoices } from "./version-spec.js";

/**
 * The served versions an ATTACH's specs match (no spec: the defaults). Throws an
 * `InvalidArgument` VgiError naming the option when nothing served matches.
 */
export function resolveAttachVersions(
  definition: CatalogDefinition,
  dataVersionSpec: string | null,
  implementationVersion: string | null,
): ResolvedVersions {
  const single = definition.implementationVersion;
  const implementations: VersionChoices | undefined =
    definition.implementationVersions ??
    (single === undefined
      ? undefined
      : { supported: [single], default: single, matching: "exact" });
  const resolve = (spec: string | null, choices: VersionChoices | undefined, label: string) => {
    if (choices !== undefined) return resolveVersionSpec(spec, choices, label);
    if (spec === null || spec === "") return null;
    // Refusing is better than silently ignoring a pin the catalog cannot honour.
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `Unsupported ${label} '${spec}': catalog '${definition.name}' serves no versions to pin`,
    );
  };
  return {
    dataVersion: resolve(dataVersionSpec, definition.dataVersions, "data_version_spec"),
    implementationVersion: resolve(
      implementationVersion,
      implementations,
      "implementation_version",
    ),
  };
}
