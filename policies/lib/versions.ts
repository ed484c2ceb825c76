// Every Go version a resource names (pure): GO_VERSION/GOLANG_VERSION in any settings source, and
// the X.Y.Z of golang image tags.
import { VERSION_SETTINGS } from "../../components/toolchain/goenv";
import { imageName, parseImageRef } from "../../components/toolchain/image-ref";
import { imageUses } from "./resources";
import { goSettingsSources } from "./sources";


export function goVersionsOf(type: string, props: unknown): Array<{ version: string; where: string }> {
  const out: Array<{ version: string; where: string }> = [];
  for (const s of goSettingsSources(type, props)) {
    for (const k of VERSION_SETTINGS) if (s.settings[k] !== undefined) out.push({ version: s.settings[k], where: `${s.where} ${k}` });
  }
  for (const u of imageUses(type, props)) {
    const ref = parseImageRef(u.ref);
    const m = ref && imageName(ref) === "golang" ? /^(\d+\.\d+\.\d+)/.exec(ref.tag ?? "") : null;
    if (m) out.push({ version: m[1], where: `${u.where} image ${u.ref}` });
  }
  const seen = new Set<string>();
  return out.filter((v) => (seen.has(`${v.version}|${v.where}`) ? false : (seen.add(`${v.version}|${v.where}`), true)));
}
