import Foundation

extension InstanceCgroup {
    /// The cgroup that `create(name:)` made, if its folders are still there: after the process that made
    /// it died, this is how its processes are killed and its folders removed (`destroy()`).
    static func existing(name: String, hierarchy: CgroupHierarchy? = .detect()) -> InstanceCgroup? {
        guard let hierarchy else { return nil }
        let folder = folderName(name)
        var folders: [CgroupController: URL] = [:]
        switch hierarchy {
        case .unified(let root):
            let url = (try? CgroupParent.folder(mount: root, controller: ""))?.appendingPathComponent(folder)
            if let url, FileManager.default.fileExists(atPath: url.path) {
                for controller in CgroupController.allCases { folders[controller] = url }
            }
        case .legacy(let controllers):
            for (controller, mount) in controllers {
                let url = (try? CgroupParent.folder(mount: mount, controller: controller.rawValue))?.appendingPathComponent(folder)
                if let url, FileManager.default.fileExists(atPath: url.path) { folders[controller] = url }
            }
        }
        return folders.isEmpty ? nil : InstanceCgroup(hierarchy: hierarchy, folders: folders)
    }
}
