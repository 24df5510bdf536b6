// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "asxh",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "asxh", targets: ["asxh"]),
        .library(name: "ASXHCore", targets: ["ASXHCore"]),
        .library(name: "ASXHServer", targets: ["ASXHServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19"),
    ],
    targets: [
        .target(
            name: "ASXHCore",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Places/Resources"), .copy("Banking/Resources/vn-banks.csv")]
        ),
        .target(
            name: "ASXHServer",
            dependencies: [
                "ASXHCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Plot", package: "Plot"),
            ],
            resources: [.copy("Public")]
        ),
        .executableTarget(
            name: "asxh",
            dependencies: ["ASXHServer", "ASXHCore"]
        ),
        .testTarget(
            name: "ASXHCoreTests",
            dependencies: ["ASXHCore"]
        ),
        .testTarget(
            name: "ASXHServerTests",
            dependencies: [
                "ASXHServer",
                "asxh",  // built so tests can run the real command and kill it mid-import
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),  // builds hostile workbooks
            ]
        ),
    ]
)
