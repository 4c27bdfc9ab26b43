# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:8.0
RUN dotnet nuget add source https://nuget.pkg.github.com/acme/index.json -n github
COPY . .
RUN --mount=type=secret,id=nuget_password,env=NUGET_PASSWORD NuGetPackageSourceCredentials_github="Username=acme;Password=$NUGET_PASSWORD" dotnet restore
